package io.github.dl4jdropout.examples.cnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jdropout.examples.cnn.CnnDropoutExample.Config;
import io.github.dl4jdropout.examples.cnn.CnnDropoutExample.Variant;
import io.github.dl4jdropout.examples.support.CommonOptions;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Smoke test: the CNN example end to end on a few hundred MNIST images, in both layouts. */
class CnnDropoutExampleTest {

    @Test
    void runsAllNetworksWithTinySettings(@TempDir Path out) {
        CnnDropoutExample.Options options = CnnDropoutExample.Options.defaults()
                .withCommon(CommonOptions.of(2, 32, 256, 128, 7, "cnn").withOutputDir(out))
                .withConfigs(CnnDropoutExample.Options.allConfigs());

        CnnDropoutExample.Result result = CnnDropoutExample.run(options);

        assertThat(result.histories().keySet()).containsExactlyElementsOf(CnnDropoutExample.Options.allConfigs());
        for (Config c : CnnDropoutExample.Options.allConfigs()) {
            // 10 classes: chance is 90% error; 16 minibatches of a BatchNorm CNN get well below.
            assertThat(result.last(c).testError()).as(c.label()).isBetween(0.0, 0.75);
        }
        assertThat(result.plots()).allSatisfy(p -> assertThat(p).startsWith(out).exists());
    }

    @Test
    void imagesAreReshapedToTheRequestedLayout() {
        INDArray rows = Nd4j.rand(3, 784);
        DataSet nchw = new DataSet(rows.dup(), Nd4j.zeros(3, 10));
        DataSet nhwc = new DataSet(rows.dup(), Nd4j.zeros(3, 10));
        CnnDropoutExample.images(CNN2DFormat.NCHW).preProcess(nchw);
        CnnDropoutExample.images(CNN2DFormat.NHWC).preProcess(nhwc);
        assertThat(nchw.getFeatures().shape()).containsExactly(3, 1, 28, 28);
        assertThat(nhwc.getFeatures().shape()).containsExactly(3, 28, 28, 1);
        // pixel (row 4, column 9) of example 2 in both
        assertThat(nchw.getFeatures().getDouble(2, 0, 4, 9)).isEqualTo(rows.getDouble(2, 4 * 28 + 9));
        assertThat(nhwc.getFeatures().getDouble(2, 4, 9, 0)).isEqualTo(rows.getDouble(2, 4 * 28 + 9));
    }

    @Test
    void rejectsBadRates() {
        assertThatThrownBy(() -> CnnDropoutExample.Options.parse("--map-drop", "-0.1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mapDropRate")
                .hasMessageContaining("-0.1");
        assertThatThrownBy(() -> new Config(Variant.SPATIAL, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
