package io.github.dl4jdropout.spark;

import org.apache.spark.sql.SparkSession;

/** The test fork's shared local Spark session, for test classes in other packages (see {@link TestData#spark()}). */
public final class SparkTestSession {

    private SparkTestSession() {
    }

    /** The shared {@code local[2,2]} session, started on first use. */
    public static SparkSession get() {
        return TestData.spark();
    }
}
