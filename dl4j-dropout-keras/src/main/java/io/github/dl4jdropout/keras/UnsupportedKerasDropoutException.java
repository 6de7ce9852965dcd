package io.github.dl4jdropout.keras;

import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

/**
 * A Keras dropout setting that {@link KerasDropoutImport} cannot reproduce faithfully, so it refuses the model rather
 * than import it with a silently different regularizer. The message names the layer, the Keras setting and why; for
 * example {@code recurrent_dropout=0.25 on layer 'lstm_1' (LSTM) is not supported yet: ...}.
 *
 * <p>It extends DL4J's {@link UnsupportedKerasConfigurationException}, so code written for DL4J's
 * {@code KerasModelImport} catches it unchanged.
 *
 * @since 0.2.0
 */
public class UnsupportedKerasDropoutException extends UnsupportedKerasConfigurationException {

    private static final long serialVersionUID = 1L;

    /** The Keras layer name. */
    private final String layerName;
    /** The Keras layer class. */
    private final String kerasClassName;
    /** The refused setting, as {@code field=value}. */
    private final String setting;
    /** The whole sentence. */
    private final String message;

    /**
     * @param layerName      the Keras layer name, e.g. {@code lstm_1}
     * @param kerasClassName the Keras layer class, e.g. {@code LSTM}
     * @param setting        the Keras setting that cannot be honoured, e.g. {@code recurrent_dropout=0.25}
     * @param reason         the rest of the sentence, e.g. {@code is not supported yet: ...}
     */
    public UnsupportedKerasDropoutException(String layerName, String kerasClassName, String setting, String reason) {
        super(setting);
        this.layerName = layerName;
        this.kerasClassName = kerasClassName;
        this.setting = setting;
        this.message = setting + " on layer '" + layerName + "' (" + kerasClassName + ") " + reason;
    }

    /**
     * Returns the Keras name of the layer that carries the setting.
     *
     * @return the layer name
     */
    public String layerName() {
        return layerName;
    }

    /**
     * Returns the Keras class of the layer, e.g. {@code LSTM} or {@code Dropout}.
     *
     * @return the class name
     */
    public String kerasClassName() {
        return kerasClassName;
    }

    /**
     * Returns the Keras setting that was refused, as {@code field=value}, e.g. {@code recurrent_dropout=0.25}.
     *
     * @return the setting
     */
    public String setting() {
        return setting;
    }

    /**
     * Returns the whole sentence: setting, layer, class and why it was refused.
     *
     * @return the message (without DL4J's "please file an issue" suffix, which does not apply here)
     */
    @Override
    public String getMessage() {
        return message;
    }
}
