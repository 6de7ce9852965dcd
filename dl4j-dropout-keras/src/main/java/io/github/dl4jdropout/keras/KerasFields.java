package io.github.dl4jdropout.keras;

/**
 * The names of the dropout fields in a Keras layer configuration, which changed between Keras 1 and Keras 2.
 * DL4J 1.0.0-M2.1 reads only {@code dropout} and {@code dropout_W} for every layer, never a dropout layer's own rate.
 */
final class KerasFields {

    static final KerasFields KERAS_1 = new KerasFields("p", "sigma", "dropout_W", "dropout_U");
    static final KerasFields KERAS_2 = new KerasFields("rate", "stddev", "dropout", "recurrent_dropout");

    private final String rate;
    private final String stddev;
    private final String inputDropout;
    private final String recurrentDropout;

    private KerasFields(String rate, String stddev, String inputDropout, String recurrentDropout) {
        this.rate = rate;
        this.stddev = stddev;
        this.inputDropout = inputDropout;
        this.recurrentDropout = recurrentDropout;
    }

    static KerasFields forMajorVersion(int major) {
        return major == 1 ? KERAS_1 : KERAS_2;
    }

    /** @return the drop rate of Dropout, SpatialDropout, GaussianDropout, AlphaDropout ({@code rate}, Keras 1 {@code p}) */
    String rate() {
        return rate;
    }

    /** @return the standard deviation of GaussianNoise ({@code stddev}, Keras 1 {@code sigma}) */
    String stddev() {
        return stddev;
    }

    /** @return a recurrent layer's input dropout ({@code dropout}, Keras 1 {@code dropout_W}) */
    String inputDropout() {
        return inputDropout;
    }

    /** @return a recurrent layer's recurrent-state dropout ({@code recurrent_dropout}, Keras 1 {@code dropout_U}) */
    String recurrentDropout() {
        return recurrentDropout;
    }
}
