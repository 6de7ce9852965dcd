package io.github.dl4jdropout.keras;

import java.util.Arrays;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Keras' {@code Orthogonal(gain)} weight initializer (Saxe, McClelland and Ganguli 2014, "Exact solutions to the
 * nonlinear dynamics of learning in deep linear neural networks"), computed without ND4J's SVD.
 *
 * <p>The weights, flattened to a matrix of {@code prod(shape[:-1])} rows and {@code shape[-1]} columns, get
 * orthonormal rows or columns (whichever are fewer) drawn uniformly (Haar measure): the Q factor of a standard normal
 * matrix with the signs fixed so that R has a positive diagonal, exactly as Keras computes it, times {@code gain}.
 *
 * <p>Why it exists: DL4J 1.0.0-M2.1's Keras import maps {@code Orthogonal} (the default {@code recurrent_initializer}
 * of {@code LSTM} and {@code SimpleRNN}) to {@code WeightInitDistribution(OrthogonalDistribution)}, whose ND4J SVD
 * op crashes the JVM (SIGSEGV in {@code libnd4jcpu}) or never returns for matrices such as an LSTM's
 * {@code [50, 200]} recurrent weights or a SimpleRNN's {@code [50, 50]} (seen; {@code [8, 32]} passed). Any {@code init()} of such a network, which DL4J's import itself runs before it
 * copies the Keras weights, therefore kills the JVM. {@link KerasDropoutImport} puts this class in place of every
 * {@code OrthogonalDistribution} initializer, so that a later re-initialization (a fresh
 * {@code new MultiLayerNetwork(conf).init()}, {@code TransferLearning} on a graph, Java deserialization) is safe too.
 * Imported weights never depend on it: they are copied from the file.
 *
 * <p>The Gram-Schmidt orthonormalization runs in Java on doubles, {@code O(min(r, c)^2 max(r, c))}; it draws its normal
 * matrix from ND4J's random generator, so {@code Nd4j.getRandom().setSeed(...)} makes it reproducible.
 *
 * @since 0.2.0
 */
public final class KerasOrthogonalInit implements IWeightInit {

    private static final long serialVersionUID = 1L;

    /** Multiplicative factor of the orthogonal matrix. */
    private final double gain;

    /**
     * @param gain multiplicative factor applied to the orthogonal matrix (Keras' {@code gain}, default 1.0)
     * @throws IllegalArgumentException if {@code gain} is NaN or infinite
     */
    @JsonCreator
    public KerasOrthogonalInit(@JsonProperty("gain") double gain) {
        if (!Double.isFinite(gain)) {
            throw new IllegalArgumentException("gain must be a finite number, got " + gain);
        }
        this.gain = gain;
    }

    /**
     * Returns the multiplicative factor.
     *
     * @return the gain
     */
    public double gain() {
        return gain;
    }

    /**
     * Fills {@code paramView} with a scaled orthogonal matrix of the given shape.
     *
     * @param fanIn     ignored
     * @param fanOut    ignored
     * @param shape     the parameter's shape; flattened to {@code [prod(shape[:-1]), shape[-1]]}
     * @param order     the parameter's memory order
     * @param paramView the view to fill
     * @return {@code paramView} reshaped to {@code shape}
     * @throws IllegalArgumentException if {@code shape} is empty or has a dimension below 1
     */
    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        if (shape == null || shape.length == 0) {
            throw new IllegalArgumentException("shape must have at least one dimension, got "
                    + Arrays.toString(shape));
        }
        long rows = 1;
        for (int i = 0; i < shape.length - 1; i++) {
            rows *= shape[i];
        }
        long cols = shape[shape.length - 1];
        if (rows < 1 || cols < 1 || rows * cols > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape must have dimensions >= 1 and fewer than 2^31 elements, got "
                    + Arrays.toString(shape));
        }
        double[] q = orthogonal((int) rows, (int) cols);
        for (int i = 0; i < q.length; i++) {
            q[i] *= gain;
        }
        INDArray target = paramView.reshape(order, shape);
        INDArray values = Nd4j.create(q, new long[]{rows, cols}, 'c').reshape('c', shape);
        target.assign(values.castTo(target.dataType()));
        return target;
    }

    /** Row-major {@code [rows, cols]} with orthonormal rows (rows <= cols) or orthonormal columns (rows > cols). */
    static double[] orthogonal(int rows, int cols) {
        int n = Math.min(rows, cols);
        int m = Math.max(rows, cols);
        // n vectors of length m, drawn i.i.d. standard normal: the columns of Keras' tall [m, n] matrix.
        double[] g = Nd4j.randn(DataType.DOUBLE, n, m).data().asDouble();
        double[][] v = new double[n][m];
        for (int j = 0; j < n; j++) {
            System.arraycopy(g, j * m, v[j], 0, m);
        }
        for (int j = 0; j < n; j++) {
            // Modified Gram-Schmidt, run twice ("twice is enough") so that Q is orthonormal to rounding error.
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < j; i++) {
                    double dot = 0;
                    for (int k = 0; k < m; k++) {
                        dot += v[i][k] * v[j][k];
                    }
                    for (int k = 0; k < m; k++) {
                        v[j][k] -= dot * v[i][k];
                    }
                }
            }
            double norm = 0;
            for (int k = 0; k < m; k++) {
                norm += v[j][k] * v[j][k];
            }
            norm = Math.sqrt(norm);
            // The Gram-Schmidt Q already has R's diagonal (the norms) positive: Keras' sign correction.
            for (int k = 0; k < m; k++) {
                v[j][k] /= norm;
            }
        }
        double[] out = new double[rows * cols];
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < m; k++) {
                if (rows <= cols) {
                    out[j * cols + k] = v[j][k];        // row j of a wide matrix
                } else {
                    out[k * cols + j] = v[j][k];        // column j of a tall matrix
                }
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasOrthogonalInit && Double.compare(gain, ((KerasOrthogonalInit) o).gain) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(gain);
    }

    @Override
    public String toString() {
        return "KerasOrthogonalInit(gain=" + gain + ")";
    }
}
