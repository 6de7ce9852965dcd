package io.github.dl4jdropout.dropout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jdropout.Dropouts;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import java.util.Map;

/** Every factory rejects bad arguments with a message naming the parameter and the value. */
class ValidationTest {

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.0, 1.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void everyFactoryRejectsAnInvalidDropRate(double bad) {
        String value = String.valueOf(bad);
        assertThatThrownBy(() -> Dropouts.standard(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dropRate").hasMessageContaining(value).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> Dropouts.timeShared(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dropRate").hasMessageContaining(value);
        assertThatThrownBy(() -> Dropouts.timeShared(bad, RNNFormat.NWC)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dropRate").hasMessageContaining(value);
        assertThatThrownBy(() -> Dropouts.spatial(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dropRate").hasMessageContaining(value);
        assertThatThrownBy(() -> Dropouts.spatial(bad, CNN2DFormat.NHWC)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dropRate").hasMessageContaining(value);
        assertThatThrownBy(() -> Dropouts.spatial(bad, RNNFormat.NCW)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dropRate").hasMessageContaining(value);
        assertThatThrownBy(() -> Dropouts.spatial(bad, Convolution3D.DataFormat.NDHWC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(value);
        assertThatThrownBy(() -> Dropouts.recurrentWeights(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dropRate").hasMessageContaining(value);
    }

    @Test
    void nullFormatsAndSchedulesAreRejected() {
        assertThatThrownBy(() -> Dropouts.timeShared(0.3, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dataFormat").hasMessageContaining("null");
        assertThatThrownBy(() -> Dropouts.spatial(0.3, (CNN2DFormat) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dataFormat").hasMessageContaining("CNN2DFormat");
        assertThatThrownBy(() -> Dropouts.spatial(0.3, (RNNFormat) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dataFormat");
        assertThatThrownBy(() -> Dropouts.spatial(0.3, (Convolution3D.DataFormat) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dataFormat");
        assertThatThrownBy(() -> Dropouts.standard((ISchedule) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dropRateSchedule").hasMessageContaining("null");
        assertThatThrownBy(() -> Dropouts.timeShared((ISchedule) null, RNNFormat.NCW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dropRateSchedule");
        assertThatThrownBy(() -> Dropouts.spatial((ISchedule) null, SpatialFormat.NHWC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dropRateSchedule");
        assertThatThrownBy(() -> new RecurrentWeightDropout((ISchedule) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dropRateSchedule");
    }

    @Test
    void aScheduleThatLeavesTheRangeFailsWithIterationAndEpoch() {
        ISchedule schedule = new MapSchedule(ScheduleType.ITERATION, Map.of(0, 0.5, 3, 1.2));
        IDropout dropout = Dropouts.standard(schedule);
        INDArray x = Nd4j.ones(DataType.FLOAT, 4, 5);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        dropout.applyDropout(x, x.dup(), 2, 0, mgr);
        dropout.clear();
        assertThatThrownBy(() -> dropout.applyDropout(x, x.dup(), 3, 1, mgr))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1.2").hasMessageContaining("iteration 3").hasMessageContaining("epoch 1")
                .hasMessageContaining("[0, 1)");
    }

    @Test
    void zeroDropRateIsTheIdentity() {
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 4, 5);
        for (IDropout d : new IDropout[]{Dropouts.standard(0.0), Dropouts.timeShared(0.0), Dropouts.spatial(0.0)}) {
            INDArray out = d.applyDropout(x, x.dup(), 0, 0, LayerWorkspaceMgr.noWorkspaces());
            assertThat(out).isEqualTo(x);
            INDArray grad = Nd4j.rand(DataType.DOUBLE, 3, 4, 5);
            assertThat(d.backprop(grad, grad.dup(), 0, 0)).isEqualTo(grad);
        }
    }

    @Test
    void wrongRanksAreReportedWithTheShapeAndTheAcceptedRanks() {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray flat = Nd4j.ones(DataType.FLOAT, 28, 8);
        assertThatThrownBy(() -> Dropouts.timeShared(0.3).applyDropout(flat, flat.dup(), 0, 0, mgr))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("rank-3").hasMessageContaining("[28, 8]")
                .hasMessageContaining("RnnOutputLayer").hasMessageContaining("Dropouts.layer(Dropouts.timeShared(rate))");
        INDArray image = Nd4j.ones(DataType.FLOAT, 2, 3, 4, 4);
        assertThatThrownBy(() -> Dropouts.spatial(0.3, RNNFormat.NWC).applyDropout(image, image.dup(), 0, 0, mgr))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("rank 3").hasMessageContaining("[2, 3, 4, 4]");
        assertThatThrownBy(() -> Dropouts.spatial(0.3).applyDropout(flat, flat.dup(), 0, 0, mgr))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("3, 4 or 5").hasMessageContaining("[28, 8]");
    }

    @Test
    void backpropWithoutForwardIsAnError() {
        INDArray grad = Nd4j.ones(DataType.FLOAT, 2, 3);
        assertThatThrownBy(() -> Dropouts.standard(0.5).backprop(grad, grad, 0, 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("without a matching forward pass");
    }
}
