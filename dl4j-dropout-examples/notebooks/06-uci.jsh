// 06-uci.jsh: UCI regression with Monte Carlo dropout, step by step (the story of UciExample), small version.
// Run: dl4j-dropout-examples/notebooks/run 06-uci        (two to three minutes on 2 cores)
// Claim (Gal and Ghahramani 2016, Table 1): a 50-unit ReLU network trained with dropout and the weight decay
// l^2 (1 - p) / (2 N tau), sampled T times with dropout on, gives a test log-likelihood (a mixture of T Gaussians of
// precision tau) and an RMSE close to the paper's on Boston housing. The full table: ./run-example uci --full.

import io.github.dl4jdropout.examples.support.*;
import io.github.dl4jdropout.examples.uci.*;
import io.github.dl4jdropout.examples.uci.UciExample.Options;
import io.github.dl4jdropout.montecarlo.*;
import java.util.*;

// 1. Data: the paper's own files, bundled: 506 houses, 13 inputs, the median value (in $1000) as target, and 20 fixed
//    random 90/10 train/test splits. --dataset DIR reads any folder in the same layout.
var boston = UciDataset.bundled("bostonHousing");
System.out.printf("%s: %d rows, %d inputs, %d splits, grid p %s x tau %s%n", boston.name(), boston.size(),
        boston.inputs(), boston.splits().size(), Arrays.toString(boston.dropRates()), Arrays.toString(boston.taus()));

// 2. Split 0: the first 80% of its training rows train, the last 20% validate (as Gal's code). Inputs and target
//    are standardized with the statistics of the rows trained on.
var split = boston.splits().get(0);
int fitRows = (int) (UciExample.TRAIN_SHARE * split.train().length);
int[] fit = Arrays.copyOfRange(split.train(), 0, fitRows);
var scaler = Standardizer.fit(boston, fit);
var fitSet = scaler.transform(boston, fit);
System.out.printf("%d rows to train on, target mean %.2f, standard deviation %.2f%n", fitRows, scaler.targetMean(),
        scaler.targetStd());

// 3. One setting of the grid: drop rate 0.01, tau 0.1 (a noise standard deviation of 1/sqrt(0.1) = 3.2 in $1000).
//    Weight decay l^2 (1 - p) / (2 N tau) in Keras's convention is twice that in DL4J's (0.5 * l2 * ||w||^2).
double dropRate = 0.01;
double tau = 0.1;
double l2 = UciNetwork.l2Coefficient(dropRate, fitRows, tau);
System.out.printf("DL4J l2 coefficient %.3g (Keras reg %.3g)%n", l2, l2 / 2);
var conf = UciNetwork.configuration(boston.inputs(), boston.hiddenUnits(), dropRate, l2, 1);
var net = UciNetwork.train(conf, fitSet, 400, 128, 1);    // 400 epochs (10 x Gal's 40), minibatches of 128

// 4. Test: T = 10,000 passes with dropout on. The evaluator scores in original units (targetScale) with the
//    paper's log-likelihood: logsumexp over samples of N(y; f_t(x), 1/tau), minus log T.
var testSet = scaler.transform(boston, split.test());
McReport report = UciExample.evaluate(net, testSet, scaler, tau, 10_000, 1);
var mc = report.mc().asRegression();
var standard = report.deterministic().asRegression();
var table = new Table("split 0, p 0.01, tau 0.1", "RMSE", "log-likelihood");
table.row("MC dropout, T = 10,000", Table.num(mc.rmse(), 3), Table.num(mc.logLikelihood(), 3));
table.row("standard (weight scaling)", Table.num(standard.rmse(), 3), Table.num(standard.logLikelihood(), 3));
var paper = PaperTable1.row("bostonHousing").orElseThrow();
table.row("paper, mean of 20 splits", Table.num(paper.rmse(), 2), Table.num(paper.ll(), 2));
var rerun = PaperTable1.gridSearchRerun("bostonHousing").orElseThrow();
table.row("Gal's 2018 grid-search re-run, 20 splits", Table.num(rerun.rmse(), 2), Table.num(rerun.ll(), 2));
System.out.println(table);

// 5. The protocol of the example on the first two splits: grid search over all 12 settings on the validation rows
//    (T = 300 there to keep the notebook short), then the chosen network on the test rows.
var options = Options.defaults().with(Options.SPLITS, 2).with(Options.VALIDATION_SAMPLES, 300).
        with(Options.OUT, CommonOptions.defaultOutputDir("06-uci"));
var result = UciExample.runDataset(boston, options);
System.out.println(UciExample.table(List.of(result), options));
/exit
