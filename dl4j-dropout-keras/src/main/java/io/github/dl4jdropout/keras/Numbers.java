package io.github.dl4jdropout.keras;

import java.math.BigDecimal;
import java.math.MathContext;

/** Number formatting for the report: the value as Keras wrote it, without binary noise (0.2, not 0.19999999). */
final class Numbers {

    private Numbers() {
    }

    /**
     * @param value a number
     * @return at most 6 significant digits, trailing zeros removed, at least one decimal ("1.0", "0.2584")
     */
    static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros();
        return rounded.scale() <= 0 ? rounded.setScale(1).toPlainString() : rounded.toPlainString();
    }
}
