package io.github.dl4jdropout.benchmarks;

import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An {@link IDropout} that drops nothing: in a benchmark it isolates what DL4J does for any layer that has a
 * dropout (copying an input that may not be modified in place, calling {@code applyDropout} and {@code backprop})
 * from the cost of drawing and applying a mask.
 */
final class IdentityDropout implements IDropout {

    @Override
    public INDArray applyDropout(INDArray inputActivations, INDArray result, int iteration, int epoch,
                                 LayerWorkspaceMgr workspaceMgr) {
        return inputActivations;
    }

    @Override
    public INDArray backprop(INDArray gradAtOutput, INDArray gradAtInput, int iteration, int epoch) {
        return gradAtOutput;
    }

    @Override
    public void clear() {
        // nothing held
    }

    @Override
    public IDropout clone() {
        return new IdentityDropout();
    }
}
