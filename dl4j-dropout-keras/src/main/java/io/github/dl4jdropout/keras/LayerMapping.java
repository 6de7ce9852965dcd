package io.github.dl4jdropout.keras;

import java.util.Objects;
import java.util.Optional;

/**
 * One line of the report of {@link KerasDropoutImport}: what a Keras dropout setting of one layer became, and what
 * DL4J's own import would have made of it. For example
 * {@code layer dropout_1: Keras Dropout(rate=0.2) -> Dropouts.standard(0.2); DL4J's import would have disabled it}.
 *
 * <p>Immutable; made by the import only.
 *
 * @since 0.2.0
 */
public final class LayerMapping {

    private final String layerName;
    private final String kerasSetting;
    private final String mappedTo;
    private final String dl4jImport;
    private final String note;

    /**
     * @param layerName    Keras layer name (and DL4J layer or vertex name)
     * @param kerasSetting the Keras setting, e.g. {@code Dropout(rate=0.2)}
     * @param mappedTo     what this module configured, e.g. {@code Dropouts.standard(0.2)}
     * @param dl4jImport   what DL4J's import would have done, as a clause, e.g. {@code would have disabled it}
     * @param note         a caveat, or null
     */
    LayerMapping(String layerName, String kerasSetting, String mappedTo, String dl4jImport, String note) {
        this.layerName = Objects.requireNonNull(layerName, "layerName");
        this.kerasSetting = Objects.requireNonNull(kerasSetting, "kerasSetting");
        this.mappedTo = Objects.requireNonNull(mappedTo, "mappedTo");
        this.dl4jImport = Objects.requireNonNull(dl4jImport, "dl4jImport");
        this.note = note;
    }

    /**
     * Returns the Keras layer name, which is also the DL4J layer name (vertex name in a graph).
     *
     * @return the layer name
     */
    public String layerName() {
        return layerName;
    }

    /**
     * Returns the Keras setting as read from the model file, e.g. {@code Dropout(rate=0.2)} or
     * {@code LSTM(dropout=0.2)}.
     *
     * @return the Keras setting
     */
    public String kerasSetting() {
        return kerasSetting;
    }

    /**
     * Returns what the imported model carries instead, as code, e.g. {@code Dropouts.standard(0.2)}.
     *
     * @return the DL4J configuration made by this module
     */
    public String mappedTo() {
        return mappedTo;
    }

    /**
     * Returns what DL4J 1.0.0-M2.1's own import does with the same setting, as a clause that follows "DL4J's import",
     * e.g. {@code would have disabled it (Dropout(p=1.0))}.
     *
     * @return the clause
     */
    public String dl4jImport() {
        return dl4jImport;
    }

    /**
     * Returns a caveat of the mapping, if any: where the imported model differs from Keras in a way that does not
     * change what the setting means, for example a Keras seed that is not reproduced.
     *
     * @return the caveat, or empty
     */
    public Optional<String> note() {
        return Optional.ofNullable(note);
    }

    /**
     * Returns the report line: {@code layer <name>: Keras <setting> -> <mapped>; DL4J's import <clause>}, followed by
     * {@code (note: ...)} when there is a caveat.
     *
     * @return one line
     */
    @Override
    public String toString() {
        return "layer " + layerName + ": Keras " + kerasSetting + " -> " + mappedTo + "; DL4J's import " + dl4jImport
                + (note == null ? "" : " (note: " + note + ")");
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LayerMapping)) {
            return false;
        }
        LayerMapping m = (LayerMapping) o;
        return layerName.equals(m.layerName) && kerasSetting.equals(m.kerasSetting) && mappedTo.equals(m.mappedTo)
                && dl4jImport.equals(m.dl4jImport) && Objects.equals(note, m.note);
    }

    @Override
    public int hashCode() {
        return Objects.hash(layerName, kerasSetting, mappedTo, dl4jImport, note);
    }
}
