// 04-uncertainty.jsh: Monte Carlo dropout as a "don't know" signal, step by step (the story of UncertaintyExample).
// Run: dl4j-dropout-examples/notebooks/run 04-uncertainty        (about a minute on 2 cores)
// Claim: a network trained with dropout on upright MNIST digits, sampled T times with dropout on (Gal and
// Ghahramani 2016, Figure 4), grows more uncertain as the digits are rotated away from upright: its accuracy falls
// while predictive entropy and mutual information rise. Mutual information flags noise images as out of
// distribution, compared here with the usual baseline, 1 - max softmax probability of standard inference.

import io.github.dl4jdropout.audit.DropoutAudit;
import io.github.dl4jdropout.examples.support.*;
import io.github.dl4jdropout.examples.uncertainty.*;
import io.github.dl4jdropout.montecarlo.*;
import io.github.dl4jdropout.uncertainty.*;
import java.util.*;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;

// 1. Settings, smaller than the example's defaults so that this runs in about a minute: 784-256-256-10,
//    5 epochs on 5,000 upright training digits, 500 test digits at 0, 30, ..., 180 degrees, T = 30.
//    (JShell runs a line as soon as it is a complete statement: chained calls end their lines with a dot.)
MnistData.ensureAvailable();
var options = UncertaintyExample.Options.defaults().
        withCommon(CommonOptions.of(5, 128, 5_000, 500, 42, "04-uncertainty")).
        with(UncertaintyExample.Options.HIDDEN, 256).
        with(UncertaintyExample.Options.MC_SAMPLES, 30).
        with(UncertaintyExample.Options.ANGLE_STEP, 30).
        with(UncertaintyExample.Options.NOISE_IMAGES, 500);
var c = options.common();

// 2. The network: Dropouts.standard(0.2) on the pixels, 0.5 on both hidden layers (a DL4J layer's dropout acts
//    on its input). The audit reads the configuration before training; forMonteCarlo also checks that some
//    layer samples, since Monte Carlo passes of a network without dropout would all be equal.
var conf = UncertaintyExample.configuration(options);
var audit = DropoutAudit.forMonteCarlo(conf);
System.out.println(audit);
audit.requireNoErrors();
var net = Training.network(conf);      // new MultiLayerNetwork(conf), initialized
var history = Training.fit("training", net, MnistData.iterator(c.batchSize(), c.trainExamples(), true, c.seed()),
        MnistData.iterator(c.batchSize(), c.testExamples(), false, c.seed()), c.epochs());
System.out.println("test error after training (standard inference): " + Table.pct(history.get(history.size() - 1).testError()));

// 3. The Monte Carlo evaluator: T passes with dropout on, standard inference alongside.
var mc = MonteCarloEvaluator.builder(net).samples(options.mcSamples()).seed(c.seed()).build();
var upright = MnistData.iterator(c.testExamples(), c.testExamples(), false, c.seed()).next();

// 4. Rotate the same test digits (bilinear resampling of the 28 x 28 images) and evaluate each angle.
//    The report of upright digits, as the library prints it:
var reports = new LinkedHashMap<Integer, McReport>();
for (int degrees : options.angles()) {
    var rotated = new DataSet(ImageRotation.rotate(upright.getFeatures(), degrees), upright.getLabels());
    reports.put(degrees, mc.evaluate(new ExistingDataSetIterator(rotated.batchBy(250))));
}
System.out.println(reports.get(0));

// 5. Accuracy falls with the angle; entropy and mutual information (the model's own uncertainty) rise.
//    Near 180 degrees some digits (0, 1, 8) look upright again, so the curves are not monotonic.
var table = new Table("rotation", "accuracy MC", "accuracy standard", "entropy MC", "entropy standard", "mutual information MC");
reports.forEach((deg, r) -> table.row(deg + " deg", Table.pct(r.mc().asClassification().accuracy()), Table.pct(r.deterministic().asClassification().accuracy()),
        String.format("%.3f", r.mc().asClassification().meanPredictiveEntropy()), String.format("%.3f", r.deterministic().asClassification().meanPredictiveEntropy()),
        String.format("%.3f", r.mc().asClassification().meanMutualInformation())));
System.out.println(table);

// 6. Out-of-distribution detection: upright digits against uniform noise images, with the library's OodMetrics.
//    AUROC is the chance that a random noise image scores higher than a random digit (0.5 = chance, 1 = perfect);
//    FPR at 95% TPR is the share of digits flagged when 95% of the noise images are.
var in = mc.predict(upright.getFeatures());
var noise = mc.predict(OodDetection.noiseImages(options.noiseImages(), c.seed() + 1));
var byMi = OodMetrics.of(in, noise, UncertaintyScore.MUTUAL_INFORMATION);
var byMsp = OodMetrics.ofDeterministic(in, noise, UncertaintyScore.MAX_SOFTMAX);
System.out.printf("digits vs noise: MC mutual information AUROC %.3f, FPR@95%%TPR %.3f; standard 1 - max softmax AUROC %.3f, FPR@95%%TPR %.3f%n",
        byMi.auroc(), byMi.fprAt95Tpr(), byMsp.auroc(), byMsp.fprAt95Tpr());

// 6b. Selective prediction: accuracy on the 90% of digits the Monte Carlo ensemble is surest about.
var rc = RiskCoverage.of(in, UncertaintyScore.PREDICTIVE_ENTROPY, upright.getLabels());
System.out.printf("accuracy at 100%% coverage %s, at 90%% %s (AURC %.4f)%n", Table.pct(rc.accuracyAtCoverage(1.0)),
        Table.pct(rc.accuracyAtCoverage(0.9)), rc.aurc());

// 7. Plots: uncertainty against angle, and reliability (accuracy against confidence) of MC and standard inference
//    on all rotated digits pooled (McReport.merge adds the reports' bins exactly).
double[] x = reports.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
var uncertaintyPlot = Plots.lineChart(c.outputDir().resolve("entropy-vs-angle.png"), "Uncertainty on rotated digits",
        "rotation (degrees)", "nats", false, List.of(
                Plots.Line.solid("MC predictive entropy", x, reports.values().stream().mapToDouble(r -> r.mc().asClassification().meanPredictiveEntropy()).toArray()),
                Plots.Line.solid("MC mutual information", x, reports.values().stream().mapToDouble(r -> r.mc().asClassification().meanMutualInformation()).toArray()),
                Plots.Line.solid("standard entropy", x, reports.values().stream().mapToDouble(r -> r.deterministic().asClassification().meanPredictiveEntropy()).toArray())));
var pooled = reports.values().stream().reduce(McReport::merge).orElseThrow();
var reliabilityPlot = ReliabilityDiagram.plot(c.outputDir().resolve("reliability-rotated.png"),
        "Reliability on digits rotated 0 to 180 deg", pooled);
System.out.println("plots: " + uncertaintyPlot + ", " + reliabilityPlot);
/exit
