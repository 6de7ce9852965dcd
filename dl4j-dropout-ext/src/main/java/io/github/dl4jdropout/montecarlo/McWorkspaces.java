package io.github.dl4jdropout.montecarlo;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.OutputLayer;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J workspaces the Monte Carlo forward passes run in, so that the same native memory is reused for every
 * minibatch and every chunk of samples instead of allocating (and page-faulting) fresh buffers that only the Java
 * garbage collector would free.
 *
 * <p>Four per-thread cyclic workspaces, nested:
 * <ul>
 *   <li>{@link #BATCH}: open for one minibatch; holds the deterministic pass, including the cached activations the
 *       samples start from;</li>
 *   <li>{@link #CHUNK}: open for one chunk of replicated samples inside the batch; holds the replicated inputs, every
 *       layer input and output, dropout results and masks of the stochastic part. Its size is what the memory
 *       budget bounds;</li>
 *   <li>{@link #WORK}: open for one layer inside either; DL4J's {@code FF_WORKING_MEM} (im2col buffers, matrix
 *       product temporaries);</li>
 *   <li>{@link #RNN_LOOP}: DL4J's per-time-step working memory of recurrent layers, opened by the layers
 *       themselves.</li>
 * </ul>
 * Anything that outlives its workspace (the deterministic output, the accumulated statistics, kept samples) is
 * detached explicitly.
 * Workspaces learn their size on the first cycle and keep it between calls, as DL4J's networks do;
 * {@code Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread()} releases them.
 */
final class McWorkspaces {

    static final String BATCH = "DL4JDROPOUT_MC_BATCH";
    static final String CHUNK = "DL4JDROPOUT_MC_CHUNK";
    static final String WORK = "DL4JDROPOUT_MC_WORK";
    static final String RNN_LOOP = "DL4JDROPOUT_MC_RNN_LOOP";

    /** DL4J's activation workspace policy: grow to the largest cycle seen, spill (reallocate) beyond it. */
    private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
            .initialSize(0)
            .overallocationLimit(0.05)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .build();

    private McWorkspaces() {
    }

    /** Opens the workspace of one minibatch's deterministic pass and cached activations. */
    static MemoryWorkspace enterBatch() {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, BATCH);
    }

    /** Opens the workspace of one chunk of samples; must be inside {@link #enterBatch()}. */
    static MemoryWorkspace enterChunk() {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, CHUNK);
    }

    /** Workspace managers for the layers (or graph vertices) of one pass whose arrays belong to one outer workspace. */
    static final class Pass {
        private final LayerWorkspaceMgr standard;
        private final LayerWorkspaceMgr dense;

        /**
         * @param outer {@link #BATCH} or {@link #CHUNK}; it must be open while the managers are used
         */
        Pass(String outer) {
            Map<ArrayType, WorkspaceConfiguration> configs = new EnumMap<>(ArrayType.class);
            Map<ArrayType, String> names = new EnumMap<>(ArrayType.class);
            for (ArrayType t : new ArrayType[] {ArrayType.INPUT, ArrayType.ACTIVATIONS, ArrayType.FF_CACHE}) {
                configs.put(t, CONFIG);
                names.put(t, outer);
            }
            configs.put(ArrayType.FF_WORKING_MEM, CONFIG);
            names.put(ArrayType.FF_WORKING_MEM, WORK);
            configs.put(ArrayType.RNN_FF_LOOP_WORKING_MEM, CONFIG);
            names.put(ArrayType.RNN_FF_LOOP_WORKING_MEM, RNN_LOOP);
            Set<ArrayType> scopedOut = EnumSet.complementOf(EnumSet.copyOf(configs.keySet()));
            this.standard = new LayerWorkspaceMgr(scopedOut, configs, names);
            this.dense = new ColumnMajorActivations(scopedOut, configs, names);
        }

        /** The manager for {@code layer}; {@code null} for a graph vertex without a layer. */
        LayerWorkspaceMgr forLayer(Layer layer) {
            Class<?> c = layer == null ? null : layer.getClass();
            return c == DenseLayer.class || c == OutputLayer.class ? dense : standard;
        }
    }

    /**
     * DL4J's {@code DenseLayer} and {@code OutputLayer} allocate their pre-activation in the default (row-major)
     * order, so ND4J's {@code mmuli} computes the product into a column-major temporary and copies it over: an extra
     * pass over the largest array of a dense network, 10 % of a Monte Carlo pass of a wide MLP (measured, see
     * docs/benchmarks.md). For exactly these two classes, whose forward pass (matrix product, bias, layer norm,
     * activation, mask) works in either order, their rank-2 activations are allocated column-major instead. The
     * deterministic and the stochastic passes use the same layouts, so random draws stay identical between them.
     */
    private static final class ColumnMajorActivations extends LayerWorkspaceMgr {
        ColumnMajorActivations(Set<ArrayType> scopedOut, Map<ArrayType, WorkspaceConfiguration> configs,
                               Map<ArrayType, String> names) {
            super(scopedOut, configs, names);
        }

        @Override
        public INDArray createUninitialized(ArrayType arrayType, DataType dataType, long... shape) {
            char order = arrayType == ArrayType.ACTIVATIONS && shape.length == 2 ? 'f' : Nd4j.order();
            return createUninitialized(arrayType, dataType, shape, order);
        }
    }

    /** Opens one layer's working memory; the returned workspace must be closed when the layer is done. */
    static MemoryWorkspace enterLayer(LayerWorkspaceMgr manager) {
        return manager.notifyScopeEntered(ArrayType.FF_WORKING_MEM);
    }

    /**
     * Moves a layer's output into its manager's activation workspace if the layer left it in working memory (an op
     * allocating outside the manager allocates in the open {@link #WORK}, which the next layer resets). DL4J's own
     * layers allocate their outputs through the manager, so this normally returns {@code out} itself.
     */
    static INDArray keep(INDArray out, LayerWorkspaceMgr manager) {
        return manager.leverageTo(ArrayType.ACTIVATIONS, out);
    }
}
