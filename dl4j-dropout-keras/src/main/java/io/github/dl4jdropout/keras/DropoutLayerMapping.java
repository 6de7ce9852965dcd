package io.github.dl4jdropout.keras;

import io.github.dl4jdropout.Dropouts;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.dropout.GaussianNoise;
import org.deeplearning4j.nn.conf.dropout.IDropout;

/**
 * The Keras layers whose only job is noise ({@code Dropout}, {@code SpatialDropout1D/2D/3D}, {@code GaussianDropout},
 * {@code GaussianNoise}, {@code AlphaDropout}): what each becomes, with Keras' meaning, and what DL4J 1.0.0-M2.1's
 * import would have made of it. Each stays one {@code DropoutLayer} of the same name.
 */
final class DropoutLayerMapping {

    private static final Set<String> CLASSES = Set.of("Dropout", "SpatialDropout1D", "SpatialDropout2D",
            "SpatialDropout3D", "GaussianDropout", "GaussianNoise", "AlphaDropout");

    /** A mapped layer: the dropout for its DropoutLayer and the report line. */
    static final class Mapped {
        final IDropout dropout;
        final LayerMapping line;

        Mapped(IDropout dropout, LayerMapping line) {
            this.dropout = dropout;
            this.line = line;
        }
    }

    private DropoutLayerMapping() {
    }

    /** @return whether the Keras class is one of the noise layers mapped here */
    static boolean handles(String kerasClassName) {
        return CLASSES.contains(kerasClassName);
    }

    /**
     * Checks what can be checked on the Keras configuration alone, before DL4J builds anything.
     *
     * @throws UnsupportedKerasDropoutException if a rate or standard deviation is invalid, or AlphaDropout has a
     *                                          noise shape
     */
    static void precheck(KerasLayerSpec spec, KerasFields fields) throws UnsupportedKerasDropoutException {
        if (spec.className().equals("GaussianNoise")) {
            stddev(spec, fields);
            return;
        }
        rate(spec, fields);
        if (spec.className().equals("AlphaDropout") && spec.raw("noise_shape") != null) {
            throw new UnsupportedKerasDropoutException(spec.name(), spec.className(),
                    "noise_shape=" + NoiseShape.render(spec.list("noise_shape")),
                    "is not supported: alpha dropout is reproduced element-wise only");
        }
    }

    /**
     * Maps one noise layer.
     *
     * @param spec   the Keras layer
     * @param fields field names of the file's Keras version
     * @param layout the activations its DropoutLayer receives in the imported model
     * @return the dropout and the report line
     * @throws UnsupportedKerasDropoutException if the setting has no faithful equivalent on these activations
     */
    static Mapped map(KerasLayerSpec spec, KerasFields fields, ActivationLayout layout)
            throws UnsupportedKerasDropoutException {
        precheck(spec, fields);
        String cls = spec.className();
        String note = seedNote(spec);
        switch (cls) {
            case "Dropout":
                return dropout(spec, fields, layout, note);
            case "SpatialDropout1D":
            case "SpatialDropout2D":
            case "SpatialDropout3D":
                return spatial(spec, fields, layout, note);
            case "GaussianDropout": {
                double rate = rate(spec, fields);
                String r = Numbers.format(rate);
                String dl4j = rate == 0.0
                        ? "would have used GaussianDropout(1.0): an infinite multiplier stddev, NaN in training"
                        : "would have used GaussianDropout(" + Numbers.format(1 - rate) + "): multiplier stddev "
                        + Numbers.format(Math.sqrt((1 - rate) / rate)) + " instead of "
                        + Numbers.format(Math.sqrt(rate / (1 - rate)));
                return new Mapped(new GaussianMultiplicativeDropout(rate), new LayerMapping(spec.name(),
                        cls + "(" + fields.rate() + "=" + r + ")", "GaussianMultiplicativeDropout(" + r
                        + "), multiplier stddev " + Numbers.format(Math.sqrt(rate / (1 - rate))), dl4j, note));
            }
            case "GaussianNoise": {
                double stddev = stddev(spec, fields);
                String s = Numbers.format(stddev);
                return new Mapped(new GaussianNoise(stddev), new LayerMapping(spec.name(),
                        cls + "(" + fields.stddev() + "=" + s + ")", "GaussianNoise(" + s + ") (DL4J's, additive)",
                        "does the same", note));
            }
            case "AlphaDropout": {
                double rate = rate(spec, fields);
                String r = Numbers.format(rate);
                return new Mapped(new SeluAlphaDropout(rate), new LayerMapping(spec.name(),
                        cls + "(" + fields.rate() + "=" + r + ")", "SeluAlphaDropout(" + r + ")",
                        "computes the same with AlphaDropout(" + Numbers.format(1 - rate) + "), which fails in"
                                + " ComputationGraph.output(true, x) (workspace for INPUT not open)", note));
            }
            default:
                throw new IllegalStateException("not a Keras noise layer: " + cls);
        }
    }

    private static Mapped dropout(KerasLayerSpec spec, KerasFields fields, ActivationLayout layout, String note)
            throws UnsupportedKerasDropoutException {
        double rate = rate(spec, fields);
        String r = Numbers.format(rate);
        List<?> noiseShape = spec.list("noise_shape");
        String setting = "Dropout(" + fields.rate() + "=" + r
                + (noiseShape == null ? "" : ", noise_shape=" + NoiseShape.render(noiseShape)) + ")";
        String dl4j = rate == 0.0 ? "does the same (Dropout(p=1.0), a no-op)"
                : "would have disabled it (Dropout(p=1.0): it reads the field dropout, not " + fields.rate() + ")";
        if (noiseShape == null) {
            return new Mapped(Dropouts.standard(rate), new LayerMapping(spec.name(), setting,
                    "Dropouts.standard(" + r + ")", dl4j, note));
        }
        NoiseShape.Kind kind;
        try {
            kind = NoiseShape.resolve(noiseShape, layout);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedKerasDropoutException(spec.name(), spec.className(),
                    "noise_shape=" + NoiseShape.render(noiseShape), "cannot be honoured: " + e.getMessage());
        }
        switch (kind) {
            case TIME_SHARED:
                return new Mapped(layout.timeShared(rate), new LayerMapping(spec.name(), setting,
                        layout.timeSharedCode(rate), dl4j, note));
            case SPATIAL:
                return new Mapped(layout.spatial(rate), new LayerMapping(spec.name(), setting,
                        layout.spatialCode(rate), dl4j, note));
            default:
                return new Mapped(Dropouts.standard(rate), new LayerMapping(spec.name(), setting,
                        "Dropouts.standard(" + r + ")", dl4j, note));
        }
    }

    private static Mapped spatial(KerasLayerSpec spec, KerasFields fields, ActivationLayout layout, String note)
            throws UnsupportedKerasDropoutException {
        String cls = spec.className();
        int spatialDims = cls.charAt("SpatialDropout".length()) - '0';
        double rate = rate(spec, fields);
        String r = Numbers.format(rate);
        String setting = cls + "(" + fields.rate() + "=" + r + ")";
        if (layout.rank() != spatialDims + 2) {
            throw new UnsupportedKerasDropoutException(spec.name(), cls, setting, "cannot be honoured: it needs rank-"
                    + (spatialDims + 2) + " activations, but the imported activations here are "
                    + layout.describe());
        }
        String dataFormat = spec.string("data_format");
        if (spatialDims == 1 && !layout.channelsLast()) {
            // Keras' SpatialDropout1D always shares its mask along axis 1 and keeps axis 2.
            throw new UnsupportedKerasDropoutException(spec.name(), cls, setting, "cannot be honoured: Keras drops"
                    + " along the last axis, which holds time steps in the imported " + layout.formatName()
                    + " activations (" + layout.describe() + ")");
        }
        if (dataFormat != null && dataFormat.equals("channels_last") != layout.channelsLast()) {
            throw new UnsupportedKerasDropoutException(spec.name(), cls, setting + " with data_format=" + dataFormat,
                    "cannot be honoured: the imported activations here are " + layout.formatName() + " ("
                            + layout.describe() + "), so Keras would drop slices that are not channels");
        }
        if (dataFormat == null && spatialDims > 1 && !layout.channelsLast()) {
            note = join(note, "the file does not record data_format (tf.keras does not save it); the channels of the"
                    + " incoming " + layout.formatName() + " activations are dropped, as Keras does when loaded with"
                    + " image_data_format='channels_first'");
        }
        String where = layout.rank() == 3 ? "whole time steps" : layout.rank() == 4 ? "whole image rows"
                : "whole depth slices";
        String dl4j = "would have used SpatialDropout(" + Numbers.format(1 - rate) + "), which drops dimension 1: "
                + (layout.channelsLast() ? where + " of these " + layout.formatName() + " activations instead of"
                + " channels" : "the channels here, as intended");
        return new Mapped(layout.spatial(rate), new LayerMapping(spec.name(), setting, layout.spatialCode(rate), dl4j,
                note));
    }

    /** Keras' drop rate; refuses values outside [0, 1). */
    static double rate(KerasLayerSpec spec, KerasFields fields) throws UnsupportedKerasDropoutException {
        return probability(spec, fields.rate(), true);
    }

    /**
     * Reads a probability field of a layer.
     *
     * @param required whether a missing field is an error (otherwise it reads as 0)
     */
    static double probability(KerasLayerSpec spec, String field, boolean required)
            throws UnsupportedKerasDropoutException {
        Double value;
        try {
            value = spec.number(field);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedKerasDropoutException(spec.name(), spec.className(), field + "=" + spec.raw(field),
                    "cannot be read: a drop rate must be a number");
        }
        if (value == null) {
            if (required) {
                throw new UnsupportedKerasDropoutException(spec.name(), spec.className(), field + "=None",
                        "cannot be honoured: the layer configuration has no drop rate");
            }
            return 0.0;
        }
        if (!(value >= 0.0 && value < 1.0)) {
            throw new UnsupportedKerasDropoutException(spec.name(), spec.className(),
                    field + "=" + Numbers.format(value), "cannot be honoured: a drop rate must be in [0, 1)");
        }
        return value;
    }

    private static double stddev(KerasLayerSpec spec, KerasFields fields) throws UnsupportedKerasDropoutException {
        Double value;
        try {
            value = spec.number(fields.stddev());
        } catch (IllegalArgumentException e) {
            value = null;
        }
        if (value == null || !(value >= 0.0) || Double.isInfinite(value)) {
            throw new UnsupportedKerasDropoutException(spec.name(), spec.className(),
                    fields.stddev() + "=" + spec.raw(fields.stddev()),
                    "cannot be honoured: a standard deviation must be a finite number >= 0");
        }
        return value;
    }

    private static String seedNote(KerasLayerSpec spec) {
        Object seed = spec.raw("seed");
        return seed == null ? null : "Keras seed=" + seed + " is not reproduced; masks come from ND4J's random"
                + " generator";
    }

    static String join(String a, String b) {
        return a == null ? b : a + "; " + b;
    }
}
