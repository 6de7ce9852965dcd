package io.github.dl4jdropout.examples.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A deliberately small command-line parser for the examples: {@code --name value} pairs and bare {@code --flag}s.
 * Each getter marks its name as known; {@link #finish()} then rejects anything the example did not ask for, so a
 * typo such as {@code --epoch 5} fails instead of being silently ignored.
 */
public final class Args {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> known = new TreeSet<>();

    private Args() {
    }

    /**
     * Parses {@code args}.
     *
     * @param args      the command line
     * @param bareFlags names (without {@code --}) that take no value, such as {@code full}
     * @return the parsed arguments
     * @throws IllegalArgumentException on a token that is not {@code --name}, or a missing value
     */
    public static Args parse(String[] args, Set<String> bareFlags) {
        Args parsed = new Args();
        for (int i = 0; i < args.length; i++) {
            String token = args[i];
            if (!token.startsWith("--") || token.length() == 2) {
                throw new IllegalArgumentException("expected an option such as --epochs, got '" + token + "'");
            }
            String name = token.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (bareFlags.contains(name)) {
                value = "true";
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("option --" + name + " needs a value");
            }
            parsed.values.put(name, value);
        }
        return parsed;
    }

    /** @param name flag name without dashes @return whether the bare flag was given */
    public boolean flag(String name) {
        known.add(name);
        return Boolean.parseBoolean(values.getOrDefault(name, "false"));
    }

    /**
     * @param name     option name without dashes
     * @param fallback value when absent
     * @return the integer value
     * @throws IllegalArgumentException if the value is not an integer
     */
    public int getInt(String name, int fallback) {
        known.add(name);
        String v = values.get(name);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    /**
     * @param name     option name without dashes
     * @param fallback value when absent
     * @return the long value
     * @throws IllegalArgumentException if the value is not an integer
     */
    public long getLong(String name, long fallback) {
        known.add(name);
        String v = values.get(name);
        try {
            return v == null ? fallback : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    /**
     * @param name     option name without dashes
     * @param fallback value when absent
     * @return the number
     * @throws IllegalArgumentException if the value is not a number
     */
    public double getDouble(String name, double fallback) {
        known.add(name);
        String v = values.get(name);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + v + "'");
        }
    }

    /**
     * @param name     option name without dashes
     * @param fallback value when absent
     * @return the path, absolute
     */
    public Path getPath(String name, Path fallback) {
        known.add(name);
        String v = values.get(name);
        return v == null ? fallback : Path.of(v).toAbsolutePath().normalize();
    }

    /**
     * Reads the shared options {@code --epochs --batch --train --test --seed --out} over the given defaults.
     *
     * @param defaults values for absent options
     * @return validated options
     * @throws IllegalArgumentException if a value is malformed or out of range
     */
    public CommonOptions common(CommonOptions defaults) {
        return new CommonOptions(
                getInt("epochs", defaults.epochs()),
                getInt("batch", defaults.batchSize()),
                getInt("train", defaults.trainExamples()),
                getInt("test", defaults.testExamples()),
                getLong("seed", defaults.seed()),
                getPath("out", defaults.outputDir()));
    }

    /**
     * Rejects every option no getter asked for.
     *
     * @throws IllegalArgumentException naming the unknown options and the known ones
     */
    public void finish() {
        List<String> unknown = new ArrayList<>();
        for (String name : values.keySet()) {
            if (!known.contains(name)) {
                unknown.add("--" + name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + unknown + "; known: "
                    + known.stream().map(k -> "--" + k).toList());
        }
    }
}
