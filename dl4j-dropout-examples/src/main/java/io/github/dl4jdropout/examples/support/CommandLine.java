package io.github.dl4jdropout.examples.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The command line of one example, declared once: its name, a one-line summary, its default options (and the larger
 * {@code --full} ones, where it has them) and its {@link Option}s. From that one declaration come
 * <ul>
 *     <li>{@link #parse}: {@code --name value}, {@code --name=value} and bare flags, over the defaults (or over
 *     {@code --full}'s); an unknown option is an error that lists every known one;</li>
 *     <li>{@link #help}: every option with its one-line description and its default, the text of
 *     {@code ./run-example NAME --help} (kept in {@code dl4j-dropout-examples/usage/}, checked by a test);</li>
 *     <li>{@link #with}: a copy of an options record with some options changed, through the same constructor.</li>
 * </ul>
 * An options record is always made by the example's {@code assemble} function, that is by its canonical constructor,
 * which validates: one validation path for the command line, code and notebooks alike.
 *
 * @param <O> the example's options record
 */
public final class CommandLine<O> {

    /**
     * What an options record is assembled from: for each option the value given (on the command line or to
     * {@link #with}), otherwise the one the base record holds.
     *
     * @param <O> the options record
     */
    public interface Values<O> {
        /**
         * @param option one of the command line's options
         * @param <T>    its value type
         * @return the value given for it, or else the base record's
         */
        <T> T get(Option<O, T> option);

        /** @return the record the values start from: the defaults, {@code --full}'s, or the one being copied */
        O base();

        /**
         * @return the validated {@link CommonOptions} of the six options {@link Builder#common} added
         * @throws IllegalStateException if the command line has no such options
         * @throws IllegalArgumentException if one of them is out of range
         */
        CommonOptions common();
    }

    private static final String FULL = "full";

    private final String name;
    private final String summary;
    private final Supplier<O> defaults;
    private final Supplier<O> full;
    private final String fullDescription;
    private final CommonFlags<O> common;
    private final List<Option<O, ?>> options;
    private final Function<Values<O>, O> assemble;

    private CommandLine(Builder<O> b, Function<Values<O>, O> assemble) {
        this.name = b.name;
        this.summary = b.summary;
        this.defaults = b.defaults;
        this.full = b.full;
        this.fullDescription = b.fullDescription;
        this.common = b.common;
        this.options = List.copyOf(b.options);
        this.assemble = Objects.requireNonNull(assemble, "assemble");
    }

    /**
     * Starts the declaration of an example's command line.
     *
     * @param name     the example's name, as {@code ./run-example} takes it
     * @param summary  what the example measures, one line
     * @param defaults the options without any flag
     * @param <O>      the options record
     * @return a builder
     */
    public static <O> Builder<O> builder(String name, String summary, Supplier<O> defaults) {
        return new Builder<>(name, summary, defaults);
    }

    /** @return the example's name */
    public String name() {
        return name;
    }

    /** @return what the example measures, one line */
    public String summary() {
        return summary;
    }

    /** @return the options, in the order help lists them ({@code --full} not included) */
    public List<Option<O, ?>> options() {
        return options;
    }

    /**
     * Reads a command line.
     *
     * @param argv options such as {@code --epochs 5 --train=2000 --full}
     * @return the validated options record
     * @throws IllegalArgumentException on an unknown option (the message lists the known ones), a missing or
     *                                  unreadable value, or a value the options record rejects
     */
    public O parse(String... argv) {
        Map<Option<O, ?>, Object> given = new LinkedHashMap<>();
        boolean useFull = false;
        for (int i = 0; i < argv.length; i++) {
            String token = argv[i];
            if (!token.startsWith("--") || token.length() == 2) {
                throw new IllegalArgumentException("expected an option such as --epochs, got '" + token + "'");
            }
            String key = token.substring(2);
            String text = null;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                text = key.substring(eq + 1);
                key = key.substring(0, eq);
            }
            if (key.equals(FULL) && full != null) {
                if (text != null) {
                    throw new IllegalArgumentException("--full takes no value, got '" + text + "'");
                }
                useFull = true;
                continue;
            }
            Option<O, ?> option = find(key);
            if (text == null) {
                if (option.isFlag()) {
                    text = "true";
                } else if (i + 1 < argv.length) {
                    text = argv[++i];
                } else {
                    throw new IllegalArgumentException("option " + option.usage() + " needs a value");
                }
            }
            given.put(option, option.read(text));
        }
        return assemble(useFull ? full.get() : defaults.get(), given);
    }

    /**
     * A copy of {@code options} with one option changed; the copy is validated like any other record.
     *
     * @param options the record to copy
     * @param option  the option to change
     * @param value   its new value
     * @param <T>     the value type
     * @return the copy
     * @throws IllegalArgumentException if the record rejects the value
     */
    public <T> O with(O options, Option<O, T> option, T value) {
        return with(options, Map.of(option, value));
    }

    /**
     * A copy of {@code options} with several options changed at once (so that fields checked together, such as
     * the two ends of an interval, can move together).
     *
     * @param options the record to copy
     * @param values  new values by option
     * @return the copy
     * @throws IllegalArgumentException if an option is not one of this command line's, a value does not have its
     *                                  option's type, or the record rejects a value
     */
    public O with(O options, Map<? extends Option<O, ?>, ?> values) {
        Map<Option<O, ?>, Object> given = new LinkedHashMap<>();
        values.forEach((option, value) -> {
            if (!this.options.contains(option)) {
                throw new IllegalArgumentException(option + " is not an option of " + name + "; its options: "
                        + this.options);
            }
            given.put(option, option.cast(value));
        });
        return assemble(options, given);
    }

    /**
     * A copy of {@code options} with the six options of its {@link CommonOptions} replaced.
     *
     * @param options the record to copy
     * @param value   the new shared settings
     * @return the copy
     * @throws IllegalStateException if this command line has no {@link Builder#common} options
     */
    public O withCommon(O options, CommonOptions value) {
        return with(options, requireCommon().valuesOf(value));
    }

    /**
     * The help text: usage line, summary, then every option with its description and default (and its
     * {@code --full} value where that differs).
     *
     * @return the text, ending with a line break
     */
    public String help() {
        return "./run-example " + name + (full != null ? " [--full]" : "") + " [options]: " + summary + "\n"
                + optionLines();
    }

    /**
     * The shape of every example's {@code main}: on {@code --help} (or {@code -h}) prints {@link #help()};
     * otherwise parses {@code argv} and runs the example; on a bad command line prints the problem to standard
     * error and exits with status 2.
     *
     * @param argv the command line
     * @param run  the example's {@code run}
     */
    public void main(String[] argv, Consumer<O> run) {
        if (Arrays.asList(argv).contains("--help") || Arrays.asList(argv).contains("-h")) {
            System.out.print(help());
            return;
        }
        O parsed;
        try {
            parsed = parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            if (!(e instanceof UnknownOptionException)) {
                System.err.println("(./run-example " + name + " --help lists every option and its default)");
            }
            System.exit(2);
            return;
        }
        run.accept(parsed);
    }

    private O assemble(O base, Map<Option<O, ?>, Object> given) {
        return assemble.apply(new Values<>() {
            @Override
            @SuppressWarnings("unchecked") // each value was read by (or checked against) its own option
            public <T> T get(Option<O, T> option) {
                return given.containsKey(option) ? (T) given.get(option) : option.valueIn(base);
            }

            @Override
            public O base() {
                return base;
            }

            @Override
            public CommonOptions common() {
                return requireCommon().read(this);
            }
        });
    }

    private CommonFlags<O> requireCommon() {
        if (common == null) {
            throw new IllegalStateException(name + " has no shared options (--epochs, --batch, ...)");
        }
        return common;
    }

    private Option<O, ?> find(String key) {
        for (Option<O, ?> o : options) {
            if (o.name().equals(key)) {
                return o;
            }
        }
        List<String> near = new ArrayList<>();
        for (String known : names()) {
            if (similar(key, known)) {
                near.add("--" + known);
            }
        }
        throw new UnknownOptionException("unknown option --" + key
                + (near.isEmpty() ? "" : " (did you mean " + String.join(" or ", near) + "?)")
                + "; the options of " + name + " are:\n" + optionLines().stripTrailing());
    }

    private List<String> names() {
        List<String> names = new ArrayList<>();
        if (full != null) {
            names.add(FULL);
        }
        options.forEach(o -> names.add(o.name()));
        return names;
    }

    private String optionLines() {
        O d = defaults.get();
        O f = full != null ? full.get() : null;
        int width = options.stream().mapToInt(o -> o.usage().length()).max().orElse(0);
        width = Math.max(width, ("--" + FULL).length());
        StringBuilder sb = new StringBuilder();
        if (full != null) {
            sb.append(line(width, "--" + FULL, fullDescription));
        }
        for (Option<O, ?> o : options) {
            String shown = o.shownValueIn(d);
            String withFull = f == null ? shown : o.shownValueIn(f);
            sb.append(line(width, o.usage(), o.description() + " (default " + shown
                    + (withFull.equals(shown) ? "" : "; --full: " + withFull) + ")"));
        }
        return sb.toString();
    }

    private static String line(int width, String usage, String description) {
        return "  " + usage + " ".repeat(width - usage.length()) + "  " + description + "\n";
    }

    /** Close enough to be a typo: one is a prefix of the other, or at most two edits apart. */
    private static boolean similar(String a, String b) {
        if (a.startsWith(b) || b.startsWith(a)) {
            return true;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitution, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()] <= 2;
    }

    /** An option the command line does not know; its message already lists the known ones. */
    private static final class UnknownOptionException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UnknownOptionException(String message) {
            super(message);
        }
    }

    /**
     * Declares a command line.
     *
     * @param <O> the options record
     */
    public static final class Builder<O> {
        private final String name;
        private final String summary;
        private final Supplier<O> defaults;
        private Supplier<O> full;
        private String fullDescription;
        private CommonFlags<O> common;
        private final List<Option<O, ?>> options = new ArrayList<>();

        private Builder(String name, String summary, Supplier<O> defaults) {
            this.name = Require.notNull("name", name);
            this.summary = Require.notNull("summary", summary);
            this.defaults = Require.notNull("defaults", defaults);
        }

        /**
         * Adds {@code --full}, which starts from other options than the defaults.
         *
         * @param description what {@code --full} changes, one line
         * @param options     the options it starts from
         * @return this builder
         */
        public Builder<O> full(String description, Supplier<O> options) {
            this.fullDescription = Require.notNull("description", description);
            this.full = Require.notNull("options", options);
            return this;
        }

        /**
         * Adds the six options of the record's {@link CommonOptions} ({@code --epochs --batch --train --test --seed
         * --out}), read back by {@link Values#common()}.
         *
         * @param field the record's {@code CommonOptions} field
         * @return this builder
         * @throws IllegalStateException if called twice
         */
        public Builder<O> common(Function<O, CommonOptions> field) {
            if (common != null) {
                throw new IllegalStateException("the shared options of " + name + " are already added");
            }
            common = CommonFlags.of(field);
            return options(common.all());
        }

        /**
         * Adds options, in the order help lists them.
         *
         * @param added the options
         * @return this builder
         * @throws IllegalArgumentException if a name is taken twice, or is {@code full} or {@code help}
         */
        public Builder<O> options(List<? extends Option<O, ?>> added) {
            for (Option<O, ?> o : added) {
                if (o.name().equals(FULL) || o.name().equals("help")
                        || options.stream().anyMatch(p -> p.name().equals(o.name()))) {
                    throw new IllegalArgumentException("option name --" + o.name() + " is taken in " + name);
                }
                options.add(o);
            }
            return this;
        }

        /**
         * Adds options, in the order help lists them.
         *
         * @param added the options
         * @return this builder
         * @throws IllegalArgumentException if a name is taken twice, or is {@code full} or {@code help}
         */
        @SafeVarargs
        public final Builder<O> options(Option<O, ?>... added) {
            return options(List.of(added));
        }

        /**
         * Finishes the declaration.
         *
         * @param assemble makes an options record from values, through its canonical constructor
         * @return the command line
         */
        public CommandLine<O> build(Function<Values<O>, O> assemble) {
            return new CommandLine<>(this, assemble);
        }
    }
}
