package io.github.dl4jdropout.keras;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.distribution.impl.OrthogonalDistribution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reproduces, in a JVM of its own, the crash of DL4J 1.0.0-M2.1's Keras import on recurrent models, and isolates
 * its cause. Not a test: it may kill its JVM (SIGSEGV) or never return, so run it by hand, with a timeout.
 *
 * <pre>
 * mvn -q -o -pl dl4j-dropout-keras -am test-compile
 * mvn -q -o -pl dl4j-dropout-keras org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
 *     -Dmdep.outputFile=/tmp/keras-cp.txt -Dmdep.includeScope=test -am
 * CP=$(cat /tmp/keras-cp.txt):dl4j-dropout-keras/target/classes:dl4j-dropout-keras/target/test-classes
 * R=dl4j-dropout-keras/src/test/resources/keras
 * timeout -s KILL 90 java -cp $CP io.github.dl4jdropout.keras.CrashProbe dl4j $R/simple_lstm_tf_keras_2_model.h5 seq
 * timeout -s KILL 90 java -cp $CP io.github.dl4jdropout.keras.CrashProbe orthogonal 50 200
 * timeout -s KILL 90 java -cp $CP io.github.dl4jdropout.keras.CrashProbe ours $R/simple_lstm_tf_keras_2_model.h5 seq
 * </pre>
 *
 * <ul>
 *   <li>{@code dl4j <file> seq|fun}: DL4J's own {@code KerasModelImport}, as a user would call it;</li>
 *   <li>{@code orthogonal <rows> <cols>}: only ND4J's {@code OrthogonalDistribution}, which DL4J's import uses for
 *       Keras' {@code Orthogonal} initializer when it initializes the network (before copying the Keras weights);</li>
 *   <li>{@code ours <file> seq|fun}: this module's import.</li>
 * </ul>
 * Prints {@code OK ...} and exits with 0 when the call returns.
 */
public final class CrashProbe {

    private CrashProbe() {
    }

    /**
     * @param args see the class documentation
     * @throws Exception whatever the probed call throws
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: CrashProbe dl4j|ours <file.h5> seq|fun  |  CrashProbe orthogonal <rows> <cols>");
            System.exit(2);
        }
        long start = System.nanoTime();
        String what;
        switch (args[0]) {
            case "dl4j": {
                System.out.println("DL4J KerasModelImport of " + args[1] + " ...");
                Model m = args[2].equals("seq") ? KerasModelImport.importKerasSequentialModelAndWeights(args[1], false)
                        : KerasModelImport.importKerasModelAndWeights(args[1], false);
                what = m.numParams() + " parameters";
                break;
            }
            case "ours": {
                System.out.println("KerasDropoutImport of " + args[1] + " ...");
                KerasDropoutImport.Result<?> r = args[2].equals("seq")
                        ? KerasDropoutImport.importSequentialWithReport(args[1])
                        : KerasDropoutImport.importFunctionalWithReport(args[1]);
                what = r.model().numParams() + " parameters\n" + r.report();
                break;
            }
            case "orthogonal": {
                long rows = Long.parseLong(args[1]);
                long cols = Long.parseLong(args[2]);
                System.out.println("OrthogonalDistribution.sample [" + rows + ", " + cols + "] ...");
                INDArray w = Nd4j.createUninitialized(DataType.FLOAT, new long[]{rows, cols}, 'f');
                new OrthogonalDistribution(1.0).sample(w);
                what = "sampled " + java.util.Arrays.toString(w.shape());
                break;
            }
            default:
                System.err.println("unknown probe " + args[0]);
                System.exit(2);
                return;
        }
        System.out.printf("OK in %.1f s: %s%n", (System.nanoTime() - start) / 1e9, what);
    }
}
