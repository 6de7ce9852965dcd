package io.github.dl4jdropout.internal;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Makes the gradient of a masked recurrent weight matrix exact.
 *
 * <p>DL4J's weight noise hands a layer a modified copy {@code W' = diag(m) W} of its recurrent weights, and the layer
 * computes {@code dL/dW'}. For a mask the true gradient is {@code dL/dW = diag(m) dL/dW'}: rows of dropped units get
 * no gradient. DL4J's own {@code DropConnect} skips that step (it updates weights that were not used), and
 * {@code IWeightNoise} has no backward hook. Every DL4J recurrent layer ends its backward pass ({@code backpropGradient},
 * LSTM's {@code backpropGradientHelper}, SimpleRnn's {@code tbpttBackpropGradient}) by calling
 * {@code weightNoiseParams.clear()} right after writing its gradients, so this map, installed as the layer's
 * {@code weightNoiseParams}, applies the mask to the gradient view at that moment. A {@code clear()} from anywhere
 * else (the end of a forward-only pass) only forgets the mask.
 */
public final class RecurrentGradientMask extends HashMap<String, INDArray> {

    private static final long serialVersionUID = 1L;
    private static final Field WEIGHT_NOISE_PARAMS = field("weightNoiseParams");
    private static final Field GRADIENT_VIEWS = field("gradientViews");
    private static final StackWalker WALKER = StackWalker.getInstance();

    private final transient BaseLayer<?> layer;
    private transient String paramKey;
    private transient INDArray rowMask;
    private transient long columns;

    private RecurrentGradientMask(BaseLayer<?> layer, Map<String, INDArray> current) {
        super(current);
        this.layer = layer;
    }

    /**
     * Returns the gradient mask installed on a layer, installing it first if needed.
     *
     * @param layer a DL4J layer whose weight noise masks rows of a parameter
     * @return the layer's gradient mask
     */
    @SuppressWarnings("unchecked")
    public static RecurrentGradientMask on(BaseLayer<?> layer) {
        try {
            Object current = WEIGHT_NOISE_PARAMS.get(layer);
            if (current instanceof RecurrentGradientMask) {
                return (RecurrentGradientMask) current;
            }
            RecurrentGradientMask mask = new RecurrentGradientMask(layer, (Map<String, INDArray>) current);
            WEIGHT_NOISE_PARAMS.set(layer, mask);
            return mask;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot install the recurrent-weight gradient mask on " + layer, e);
        }
    }

    /**
     * Records the row mask used for a parameter in the current forward pass.
     *
     * @param paramKey parameter key, e.g. "RW"
     * @param rowMask  column vector {@code [rows, 1]} that multiplied the parameter's rows
     * @param columns  how many leading columns the mask applied to
     */
    public void expect(String paramKey, INDArray rowMask, long columns) {
        this.paramKey = paramKey;
        this.rowMask = rowMask;
        this.columns = columns;
    }

    @Override
    public void clear() {
        if (rowMask != null && calledFromBackprop()) {
            applyToGradient();
        }
        rowMask = null;
        paramKey = null;
        super.clear();
    }

    private static boolean calledFromBackprop() {
        // The first frame outside this class is the caller of weightNoiseParams.clear().
        return WALKER.walk(frames -> frames
                .filter(f -> !f.getClassName().equals(RecurrentGradientMask.class.getName()))
                .findFirst()
                .map(f -> f.getMethodName().toLowerCase(Locale.ROOT).contains("backpropgradient")).orElse(false));
    }

    @SuppressWarnings("unchecked")
    private void applyToGradient() {
        Map<String, INDArray> views;
        try {
            views = (Map<String, INDArray>) GRADIENT_VIEWS.get(layer);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot read the gradient of " + layer, e);
        }
        INDArray gradient = views == null ? null : views.get(paramKey);
        if (gradient == null) {
            return;
        }
        INDArray mask = rowMask.dataType() == gradient.dataType() ? rowMask : rowMask.castTo(gradient.dataType());
        gradient.get(NDArrayIndex.all(), NDArrayIndex.interval(0, columns)).muliColumnVector(mask);
    }

    private static Field field(String name) {
        try {
            Field f = BaseLayer.class.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("DL4J's BaseLayer has no field '" + name
                    + "': this version of dl4j-dropout needs deeplearning4j-nn 1.0.0-M2.1");
        }
    }
}
