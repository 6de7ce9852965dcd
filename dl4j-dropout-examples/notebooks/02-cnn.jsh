// 02-cnn.jsh: standard against spatial dropout on convolutional feature maps, step by step
// (the story of CnnDropoutExample). Run: dl4j-dropout-examples/notebooks/run 02-cnn   (a few minutes on 2 cores)
// Neighbouring pixels of a feature map are strongly correlated: when standard dropout zeroes one activation, the
// next convolution reads it off its neighbours. Spatial dropout (Tompson et al. 2015) zeroes whole feature maps.

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.audit.DropoutAudit;
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

// 3. Small settings for a notebook: far too short to show regularization, enough to see the steps.
//    T = 20 Monte Carlo passes per test image for the networks with dropout.
var options = CnnDropoutExample.Options.defaults().
        withCommon(CommonOptions.of(3, 64, 1_500, 1_000, 42, "02-cnn")).
        withConfigs(CnnDropoutExample.Options.allConfigs()).
        with(CnnDropoutExample.Options.MC_SAMPLES, 20);

// 4. The audit reads a configuration before training. Element-wise dropout on the input of the second
//    convolution gets a WARNING (ELEMENTWISE_DROPOUT_ON_FEATURE_MAPS): that is the practice this notebook measures
//    spatial dropout against, so it is expected here. Spatial dropout in the right layout gets no finding.
//    run(...) below audits every configuration again and stops on an ERROR.
var standardAudit = DropoutAudit.forMonteCarlo(CnnDropoutExample.configuration(options, new Config(Variant.STANDARD, CNN2DFormat.NCHW)));
System.out.println("[standard, NCHW] " + standardAudit.atLeast(io.github.dl4jdropout.audit.Severity.WARNING).stream().map(f -> f.check().name()).toList());
System.out.println("[spatial, NHWC] " + DropoutAudit.forMonteCarlo(CnnDropoutExample.configuration(options, new Config(Variant.SPATIAL, CNN2DFormat.NHWC))));

// 5. Train all five networks: no dropout, standard and spatial on the maps, each in NCHW and NHWC. After training,
//    each network with dropout is also evaluated with MonteCarloEvaluator (T passes with dropout on, averaged).
var result = CnnDropoutExample.run(options);

// 6. The same networks in the two layouts should score alike (the masks differ, the model does not).
for (var v : List.of(Variant.STANDARD, Variant.SPATIAL)) {
    System.out.printf("%-8s test error NCHW %s, NHWC %s%n", v.label(),
            Table.pct(result.last(new Config(v, CNN2DFormat.NCHW)).testError()),
            Table.pct(result.last(new Config(v, CNN2DFormat.NHWC)).testError()));
}

// 7. Monte Carlo against standard inference. This network has BatchNormalization: output(x, true) would put it in
//    training mode too (each image's prediction would depend on the rest of its minibatch). The evaluator runs
//    only the layers with dropout in training mode. Its full report for spatial dropout, NCHW:
System.out.println(result.monteCarlo().get(new Config(Variant.SPATIAL, CNN2DFormat.NCHW)));
result.monteCarlo().forEach((config, report) -> System.out.printf(
        "%-16s accuracy %s standard, %s MC; ECE %.3f standard, %.3f MC%n", config.label(),
        Table.pct(report.deterministic().asClassification().accuracy()), Table.pct(report.mc().asClassification().accuracy()),
        report.deterministic().asClassification().expectedCalibrationError(), report.mc().asClassification().expectedCalibrationError()));
/exit
