// 02-cnn.jsh: standard against spatial dropout on convolutional feature maps, step by step
// (the story of CnnDropoutExample). Run: dl4j-dropout-examples/notebooks/run 02-cnn   (a few minutes on 2 cores)
// Neighbouring pixels of a feature map are strongly correlated: when standard dropout zeroes one activation, the
// next convolution reads it off its neighbours. Spatial dropout (Tompson et al. 2015) zeroes whole feature maps.

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.examples.cnn.CnnDropoutExample;
import io.github.dl4jdropout.examples.cnn.CnnDropoutExample.Config;
import io.github.dl4jdropout.examples.cnn.CnnDropoutExample.Variant;
import io.github.dl4jdropout.examples.support.*;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.nd4j.linalg.factory.Nd4j;
import java.util.*;

MnistData.ensureAvailable();

// 1. What the two dropouts do to a feature map: 1 example, 4 channels of 3x3 ones, NCHW, drop rate 0.5.
//    IDropout.applyDropout(input, output, iteration, epoch, workspaceMgr) is what DL4J calls during training.
var maps = Nd4j.ones(1, 4, 3, 3);
var standardOut = Dropouts.standard(0.5).applyDropout(maps.dup(), Nd4j.create(1, 4, 3, 3), 0, 0,
        org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
var spatialOut = Dropouts.spatial(0.5, CNN2DFormat.NCHW).applyDropout(maps.dup(), Nd4j.create(1, 4, 3, 3), 0, 0,
        org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
System.out.println("standard: each activation kept (x2) or dropped on its own:\n" + standardOut);
System.out.println("spatial: whole 3x3 maps kept (x2) or dropped:\n" + spatialOut);

// 2. The layout must be told to Dropouts.spatial as well as to the layers; checkFormats catches a mismatch.
try {
    var wrong = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().list().
            layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nIn(1).nOut(4).
                    dataFormat(CNN2DFormat.NHWC).dropOut(Dropouts.spatial(0.2, CNN2DFormat.NCHW)).build()).
            layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nOut(10).build()).
            setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(28, 28, 1, CNN2DFormat.NHWC)).
            build();
    Dropouts.checkFormats(wrong);
    System.out.println("mismatch NOT caught");
} catch (IllegalStateException expected) {
    System.out.println("checkFormats: " + expected.getMessage());
}

// 3. Train all five networks: no dropout, standard and spatial on the maps, each in NCHW and NHWC.
//    Small settings for a notebook: far too short to show regularization, enough to see the steps.
var options = CnnDropoutExample.Options.defaults().
        withCommon(CommonOptions.of(3, 64, 1_500, 1_000, 42, "02-cnn")).
        withConfigs(CnnDropoutExample.Options.allConfigs());
var result = CnnDropoutExample.run(options);

// 4. The same networks in the two layouts should score alike (the masks differ, the model does not).
for (var v : List.of(Variant.STANDARD, Variant.SPATIAL)) {
    System.out.printf("%-8s test error NCHW %s, NHWC %s%n", v.label(),
            Table.pct(result.last(new Config(v, CNN2DFormat.NCHW)).testError()),
            Table.pct(result.last(new Config(v, CNN2DFormat.NHWC)).testError()));
}
// HOOK(monte-carlo): Monte Carlo evaluation of these networks needs the library's evaluator, because
// output(x, true) would also put BatchNormalization in training mode.
/exit
