package io.github.dl4jdropout.examples.uci;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Standardization as in Gal and Ghahramani's code: every input and the target get zero mean and unit (population)
 * standard deviation on the rows the network is trained on; an input that is constant there keeps scale 1. Test
 * and validation rows are transformed with the same numbers.
 *
 * @param inputMean  mean of each input on the training rows
 * @param inputStd   standard deviation of each input (1 where it is 0)
 * @param targetMean mean of the target
 * @param targetStd  standard deviation of the target, positive
 */
public record Standardizer(double[] inputMean, double[] inputStd, double targetMean, double targetStd) {

    /** Checks the target scale, which every metric in original units is multiplied by. */
    public Standardizer {
        if (!(targetStd > 0) || Double.isInfinite(targetStd)) {
            throw new IllegalArgumentException("the target must vary on the training rows (standard deviation > 0),"
                    + " got standard deviation " + targetStd);
        }
    }

    /**
     * Fits the statistics on some rows of a data set.
     *
     * @param data the data set
     * @param rows the training rows
     * @return the standardizer
     * @throws IllegalArgumentException if the target is constant on those rows
     */
    public static Standardizer fit(UciDataset data, int[] rows) {
        int q = data.inputs();
        double[] mean = new double[q];
        double[] std = new double[q];
        for (int j = 0; j < q; j++) {
            double[] column = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                column[i] = data.features()[rows[i]][j];
            }
            mean[j] = mean(column);
            double s = std(column, mean[j]);
            std[j] = s == 0 ? 1 : s;
        }
        double[] y = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            y[i] = data.targets()[rows[i]];
        }
        double my = mean(y);
        return new Standardizer(mean, std, my, std(y, my));
    }

    /**
     * Standardized inputs and targets of some rows.
     *
     * @param data the data set
     * @param rows the rows, in this order
     * @return features {@code [rows, inputs]} and labels {@code [rows, 1]}, in float
     */
    public DataSet transform(UciDataset data, int[] rows) {
        int q = data.inputs();
        float[][] x = new float[rows.length][q];
        float[][] y = new float[rows.length][1];
        for (int i = 0; i < rows.length; i++) {
            double[] row = data.features()[rows[i]];
            for (int j = 0; j < q; j++) {
                x[i][j] = (float) ((row[j] - inputMean[j]) / inputStd[j]);
            }
            y[i][0] = (float) ((data.targets()[rows[i]] - targetMean) / targetStd);
        }
        INDArray features = Nd4j.createFromArray(x).castTo(DataType.FLOAT);
        INDArray labels = Nd4j.createFromArray(y).castTo(DataType.FLOAT);
        return new DataSet(features, labels);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double a : v) {
            s += a;
        }
        return s / v.length;
    }

    private static double std(double[] v, double mean) {
        double s = 0;
        for (double a : v) {
            s += (a - mean) * (a - mean);
        }
        return Math.sqrt(s / v.length);
    }
}
