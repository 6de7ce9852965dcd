package io.github.dl4jdropout.internal;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a dropout mask that must live until backprop is allocated: the rule every mask of this library follows
 * (dropout variants, the VariationalLSTM's recurrent mask, the Keras module's multiplicative noise).
 */
public final class MaskMemory {

    private MaskMemory() {
    }

    /**
     * Allocates an uninitialized array where DL4J's contract puts arrays that live until backprop: the INPUT
     * workspace. DL4J's {@code ComputationGraph.output(train = true)} leaves that workspace closed (DL4J's own
     * {@code Dropout} fails there with "Workspace ... for array type INPUT is not open"); no backprop follows such a
     * pass, so the array is then allocated outside any workspace, as it is without a workspace manager or
     * configuration.
     *
     * @param workspaceMgr the layer's workspace manager, or null
     * @param dataType     data type of the array
     * @param shape        its shape
     * @param order        its ordering, 'c' or 'f'
     * @return a new uninitialized array
     */
    public static INDArray allocate(LayerWorkspaceMgr workspaceMgr, DataType dataType, long[] shape, char order) {
        if (workspaceMgr == null || workspaceMgr.isScopedOut(ArrayType.INPUT)
                || !workspaceMgr.hasConfiguration(ArrayType.INPUT)) {
            return Nd4j.createUninitializedDetached(dataType, order, shape);
        }
        String workspace = workspaceMgr.getWorkspaceName(ArrayType.INPUT);
        if (workspace != null && !Nd4j.getWorkspaceManager().checkIfWorkspaceExistsAndActive(workspace)) {
            return Nd4j.createUninitializedDetached(dataType, order, shape);
        }
        return workspaceMgr.createUninitialized(ArrayType.INPUT, dataType, shape, order);
    }
}
