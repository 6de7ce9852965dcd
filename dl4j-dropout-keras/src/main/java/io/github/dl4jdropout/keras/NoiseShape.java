package io.github.dl4jdropout.keras;

import java.util.ArrayList;
import java.util.List;

/**
 * What a Keras {@code noise_shape} means on the imported activations. Keras draws one mask value per position of
 * {@code noise_shape} and broadcasts it along the axes where the entry is 1; {@code None} (null) means the size of the
 * input. Three patterns have an equivalent here: per element (standard dropout), per (example, channel) on feature
 * maps (spatial dropout) and per (example, feature) on sequences (time-shared dropout). Anything else is refused.
 */
final class NoiseShape {

    /** The dropout that reproduces a noise shape. */
    enum Kind {
        /** One mask value per element. */
        STANDARD,
        /** One mask value per (example, feature) of a sequence, shared by all time steps. */
        TIME_SHARED,
        /** One mask value per (example, channel) of a feature map, shared by all positions. */
        SPATIAL
    }

    private NoiseShape() {
    }

    /**
     * @param noiseShape the Keras {@code noise_shape}, entries null or positive integers
     * @param layout     the activations it applies to
     * @return the equivalent kind of dropout
     * @throws IllegalArgumentException with the reason, if there is none
     */
    static Kind resolve(List<?> noiseShape, ActivationLayout layout) {
        int rank = layout.rank();
        if (noiseShape.size() != rank) {
            throw new IllegalArgumentException("it has " + noiseShape.size() + " entries but the activations here"
                    + " have rank " + rank + " (" + layout.describe() + ")");
        }
        boolean[] perExample = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            Object e = noiseShape.get(i);
            if (e == null) {
                perExample[i] = true;
                continue;
            }
            if (!(e instanceof Number) || ((Number) e).doubleValue() != Math.rint(((Number) e).doubleValue())
                    || ((Number) e).longValue() < 1) {
                throw new IllegalArgumentException("entry " + i + " is " + e + "; entries must be None or positive"
                        + " integers");
            }
            long v = ((Number) e).longValue();
            long size = layout.size(i);
            if (v == 1) {
                perExample[i] = size == 1;      // broadcasting over a dimension of size 1 changes nothing
            } else if (size > 0 && v != size) {
                throw new IllegalArgumentException("entry " + i + " is " + v + " but that dimension has size "
                        + size + " (" + layout.describe() + "); Keras would fail to broadcast it");
            } else {
                perExample[i] = true;
            }
        }
        if (!perExample[0]) {
            throw new IllegalArgumentException("its first entry, 1, shares one mask across all examples of a"
                    + " minibatch; the dropouts of this library draw an independent mask per example");
        }
        List<Integer> full = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            if (perExample[i]) {
                full.add(i);
            }
        }
        if (full.size() == rank) {
            return Kind.STANDARD;
        }
        if (rank >= 3 && full.size() == 2 && full.get(1) == layout.channelDim()) {
            return rank == 3 ? Kind.TIME_SHARED : Kind.SPATIAL;
        }
        throw new IllegalArgumentException("it draws one mask value per position of dimensions " + full + " of "
                + layout.describe() + " (" + layout.formatName() + "); only per element, per (example, channel)"
                + " (spatial) and per (example, feature) for a whole sequence (time-shared) have an equivalent");
    }

    /**
     * @param noiseShape a Keras noise shape
     * @return it as Keras prints it, e.g. {@code (None, 1, None)}
     */
    static String render(List<?> noiseShape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < noiseShape.size(); i++) {
            Object e = noiseShape.get(i);
            sb.append(i == 0 ? "" : ", ").append(e == null ? "None"
                    : e instanceof Number && ((Number) e).doubleValue() == Math.rint(((Number) e).doubleValue())
                    ? String.valueOf(((Number) e).longValue()) : String.valueOf(e));
        }
        return sb.append(noiseShape.size() == 1 ? ",)" : ")").toString();
    }
}
