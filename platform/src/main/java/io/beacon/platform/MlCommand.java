package io.beacon.platform;

import com.typesafe.config.Config;
import io.beacon.engine.scoring.ScoringSettings;
import io.beacon.engine.state.EngineSettings;
import io.beacon.engine.state.UserStateReplay;
import io.beacon.ml.FeatureSpec;
import io.beacon.ml.Task;
import io.beacon.ml.TrainerKind;
import io.beacon.ml.csv.CsvTraining;
import io.beacon.ml.csv.CsvTrainingResult;
import io.beacon.ml.csv.TrainerCv;
import io.beacon.ml.dataset.Dataset;
import io.beacon.ml.dataset.DatasetBuilder;
import io.beacon.ml.dataset.DatasetCsv;
import io.beacon.ml.dataset.DatasetRow;
import io.beacon.ml.eval.CalibrationBin;
import io.beacon.ml.eval.EvaluationReport;
import io.beacon.ml.eval.FeatureWeight;
import io.beacon.ml.label.Cutoffs;
import io.beacon.ml.registry.ModelManifest;
import io.beacon.ml.registry.ModelStore;
import io.beacon.ml.train.TrainedModel;
import io.beacon.ml.train.Training;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.clickhouse.WarehouseException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code ./beacon ml …} as a value (docs/ml.md, "Command line"): {@code train --csv} (bring your own feature CSV,
 * k-fold CV, no stack needed), {@code dataset} (a project's history from ClickHouse, replayed point-in-time through the
 * engine's own user state, as CSV), {@code train --task} (that dataset, the time-based holdout, a new version in the
 * model directory) and {@code list} (the versions there). {@link #parse} checks every option and names the one at
 * fault; {@link #run} does the work, progress on {@code err}, results on {@code out}.
 *
 * @param action    what to do
 * @param csv       {@code train --csv}: the feature CSV
 * @param label     {@code train --csv}: the label column
 * @param idColumn  {@code train --csv}: a column to drop, or {@code null}
 * @param trainers  the trainers to run, in order
 * @param folds     {@code train --csv}: k of the k-fold CV
 * @param seed      fold and trainer seed
 * @param dataset   {@code dataset} and {@code train --task}: what to read and how to label it; else {@code null}
 * @param out       {@code dataset}: the CSV to write
 * @param modelDir  {@code train --task} and {@code list}: the model directory, or {@code null}: {@value #MODEL_DIR}
 */
record MlCommand(Action action, Path csv, String label, String idColumn, List<TrainerKind> trainers, int folds, long seed,
                 DatasetArgs dataset, Path out, Path modelDir) {

    /** The model directory setting; relative paths are resolved against the system property {@code beacon.home}. */
    static final String MODEL_DIR = "beacon.ml.model-dir";

    static final String TRAIN_CSV_USAGE = "./beacon ml train --csv FILE --label COLUMN [--id COLUMN]"
            + " [--trainer logistic|cart|xgboost|all] [--folds 5] [--seed 42]";
    static final String DATASET_OPTIONS = "[--project ID] [--horizon 14d] [--cutoffs 3] [--step 7d] [--as-of ISO] [--qualifying e1,e2]";
    static final String TRAIN_TASK_USAGE = "./beacon ml train --task churn|ltv [--trainer logistic|cart|xgboost|all] [--seed 42]"
            + " [--model-dir DIR] " + DATASET_OPTIONS;
    static final String DATASET_USAGE = "./beacon ml dataset --task churn|ltv --out FILE.csv " + DATASET_OPTIONS;
    static final String LIST_USAGE = "./beacon ml list [--model-dir DIR]";
    static final String USAGE = "usage: " + TRAIN_CSV_USAGE + "\n       " + TRAIN_TASK_USAGE + "\n       " + DATASET_USAGE
            + "\n       " + LIST_USAGE;

    private static final String[] TRAINER_CHOICES = {"logistic", "cart", "xgboost", "all"};
    /** Tribuo logs every 1,000 SGD iterations at INFO through java.util.logging; kept referenced so the level holds. */
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    enum Action { TRAIN_CSV, TRAIN_TASK, DATASET, LIST }

    /**
     * What {@code dataset} and {@code train --task} read and how they label it.
     *
     * @param task       churn or LTV
     * @param project    the project, or {@code null}: the running dev stack's, else {@code beacon.bootstrap-project.id}
     * @param horizonMs  the label horizon, or {@code null}: the engine's ({@code beacon.engine.scoring.features.horizon})
     * @param cutoffs    how many cutoffs are stacked (the newest is the holdout)
     * @param stepMs     the time between cutoffs
     * @param asOf       the data's "today": the newest cutoff is that UTC day's midnight minus the horizon; {@code null}: now
     * @param qualifying events that count as activity for churn, or {@code null}: the engine's
     */
    record DatasetArgs(Task task, String project, Long horizonMs, int cutoffs, long stepMs, Instant asOf, List<String> qualifying) {
    }

    /**
     * Runs {@code args} (what follows {@code ml}): the usage (exit code 2) when no subcommand is named, else
     * {@link #parse} and {@link #run}.
     *
     * @throws IllegalArgumentException naming the option at fault (the CLI's exit code 1)
     * @throws IllegalStateException    when ClickHouse, the model directory or the training fails
     */
    static int execute(String[] args, Config config, PrintStream out, PrintStream err) {
        if (args.length == 0 || !List.of("train", "dataset", "list", "help").contains(args[0])) {
            err.println((args.length == 0 ? "" : "unknown ml command '" + args[0] + "'\n") + USAGE);
            return 2;
        }
        if (args[0].equals("help")) {
            out.println(USAGE);
            return 0;
        }
        return parse(args).run(config, out, err);
    }

    /**
     * The command of {@code args} (what follows {@code ml}, starting with the subcommand).
     *
     * @throws IllegalArgumentException naming the option at fault, with the subcommand's usage
     */
    static MlCommand parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException(USAGE);
        }
        switch (args[0]) {
            case "list" -> {
                MlOptions o = MlOptions.parse(args, 1, "usage: " + LIST_USAGE);
                Path dir = o.path("model-dir");
                o.finish();
                return new MlCommand(Action.LIST, null, null, null, List.of(), 0, 0, null, null, dir);
            }
            case "dataset" -> {
                MlOptions o = MlOptions.parse(args, 1, "usage: " + DATASET_USAGE);
                DatasetArgs d = datasetArgs(o);
                Path out = o.path("out");
                if (out == null) {
                    throw new IllegalArgumentException("--out is required; usage: " + DATASET_USAGE);
                }
                o.finish();
                return new MlCommand(Action.DATASET, null, null, null, List.of(), 0, 0, d, out, null);
            }
            case "train" -> {
                boolean csv = List.of(args).contains("--csv");
                boolean task = List.of(args).contains("--task");
                if (csv == task) {
                    throw new IllegalArgumentException("ml train takes either --csv FILE or --task churn|ltv; usage: " + TRAIN_CSV_USAGE
                            + "\n       " + TRAIN_TASK_USAGE);
                }
                return csv ? parseTrainCsv(args) : parseTrainTask(args);
            }
            default -> throw new IllegalArgumentException("unknown ml command '" + args[0] + "'; " + USAGE);
        }
    }

    private static MlCommand parseTrainCsv(String[] args) {
        MlOptions o = MlOptions.parse(args, 1, "usage: " + TRAIN_CSV_USAGE);
        Path csv = o.path("csv");
        String label = o.required("label");
        String id = o.text("id");
        List<TrainerKind> trainers = trainers(o, "all");
        int folds = o.positiveInt("folds", 5, 2);
        long seed = o.longValue("seed", 42);
        o.finish();
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException("--csv " + csv + ": no such file");
        }
        if (label.equals(id)) {
            throw new IllegalArgumentException("--id " + id + " is the label column");
        }
        return new MlCommand(Action.TRAIN_CSV, csv, label, id, trainers, folds, seed, null, null, null);
    }

    private static MlCommand parseTrainTask(String[] args) {
        MlOptions o = MlOptions.parse(args, 1, "usage: " + TRAIN_TASK_USAGE);
        DatasetArgs d = datasetArgs(o);
        // The default is the trainer that meets issue 18's quality target for the task on the behaviour simulator
        // (docs/ml.md): the linear model for churn, XGBoost for LTV (a person's revenue is far from linear in the features).
        List<TrainerKind> trainers = trainers(o, d.task() == Task.LTV ? "xgboost" : "logistic");
        long seed = o.longValue("seed", 42);
        Path dir = o.path("model-dir");
        o.finish();
        return new MlCommand(Action.TRAIN_TASK, null, null, null, trainers, 0, seed, d, null, dir);
    }

    private static DatasetArgs datasetArgs(MlOptions o) {
        if (!o.has("task")) {
            o.required("task");
        }
        Task task = Task.of(o.choice("task", null, "churn", "ltv"));
        String project = o.text("project");
        Long horizon = o.durationMs("horizon");
        int cutoffs = o.positiveInt("cutoffs", 3, 1);
        Long step = o.durationMs("step");
        Instant asOf = o.instant("as-of");
        List<String> qualifying = o.list("qualifying");
        return new DatasetArgs(task, project, horizon, cutoffs, step != null ? step : 7L * 86_400_000L, asOf, qualifying);
    }

    private static List<TrainerKind> trainers(MlOptions o, String dflt) {
        String t = o.choice("trainer", dflt, TRAINER_CHOICES);
        return t.equals("all") ? List.of(TrainerKind.values()) : List.of(TrainerKind.of(t));
    }

    /**
     * Does the work.
     *
     * @return the exit code, 0
     * @throws IllegalArgumentException when the input does not fit (no label column, one class only, …)
     * @throws IllegalStateException    when ClickHouse or the model directory fails
     */
    int run(Config config, PrintStream out, PrintStream err) {
        TRIBUO_LOG.setLevel(Level.WARNING);
        Consumer<String> progress = err::println;
        try {
            switch (action) {
                case TRAIN_CSV -> trainCsv(out, progress);
                case DATASET -> writeDataset(config, out, progress);
                case TRAIN_TASK -> trainTask(config, out, progress);
                case LIST -> list(config, out);
                default -> throw new IllegalStateException("unhandled " + action);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e);
        } catch (WarehouseException e) {
            throw new IllegalStateException("ClickHouse: " + e.getMessage(), e);
        }
        return 0;
    }

    // ---- train --csv ---------------------------------------------------------------------------------------

    private void trainCsv(PrintStream out, Consumer<String> progress) throws IOException {
        List<String> header = headerOf(csv);
        if (!header.contains(label)) {
            throw new IllegalArgumentException("--label " + label + ": no such column in " + csv + " (columns: " + String.join(", ", header) + ")");
        }
        if (idColumn != null && !header.contains(idColumn)) {
            throw new IllegalArgumentException("--id " + idColumn + ": no such column in " + csv);
        }
        CsvTrainingResult r;
        try {
            r = CsvTraining.run(csv, label, idColumn, folds, seed, trainers, progress);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--label " + label + ": " + e.getMessage(), e);
        }
        out.printf(Locale.ROOT, "%s: %d rows, %d features (%d numeric, %d one-hot columns), positive '%s' %.1f %%, %d-fold stratified CV, seed %d%n",
                csv.getFileName(), r.rows(), r.features(), r.numericColumns().size(), r.textColumns().size(), r.positiveLabel(),
                100 * r.positiveRate(), r.folds(), r.seed());
        List<List<String>> rows = new ArrayList<>();
        for (TrainerCv cv : r.trainers()) {
            List<String> folds = cv.foldAuc().stream().map(MlCommand::f4).toList();
            rows.add(List.of(cv.trainer().id(), f4(cv.meanAuc()), String.join(" ", folds)));
        }
        out.print(table(List.of("trainer", "mean ROC AUC", "fold ROC AUC"), rows));
    }

    /** The header fields of a CSV (RFC 4180 quotes removed). */
    static List<String> headerOf(Path csv) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String line = r.readLine();
            if (line == null) {
                throw new IllegalArgumentException("--csv " + csv + " is empty");
            }
            List<String> fields = new ArrayList<>();
            StringBuilder f = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '"') {
                    if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        f.append('"');
                        i++;
                    } else {
                        quoted = !quoted;
                    }
                } else if (c == ',' && !quoted) {
                    fields.add(f.toString().trim());
                    f.setLength(0);
                } else {
                    f.append(c);
                }
            }
            fields.add(f.toString().trim());
            return fields;
        }
    }

    // ---- dataset and train --task -------------------------------------------------------------------------

    private void writeDataset(Config config, PrintStream out, Consumer<String> progress) throws IOException {
        Dataset ds = buildDataset(config, progress);
        Path parent = this.out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (Writer w = Files.newBufferedWriter(this.out, StandardCharsets.UTF_8)) {
            DatasetCsv.write(ds, w);
        }
        out.println("wrote " + ds.rows().size() + " rows x " + ds.spec().size() + " features to " + this.out);
        out.print(summary(ds));
    }

    private void trainTask(Config config, PrintStream out, Consumer<String> progress) throws IOException {
        Dataset ds = buildDataset(config, progress);
        out.print(summary(ds));
        ModelStore store = new ModelStore(modelDir != null ? modelDir : modelDir(config));
        for (TrainerKind kind : trainers) {
            TrainedModel m = Training.train(ds, kind, seed, progress);
            ModelManifest manifest = store.write(m, Instant.now());
            out.println();
            out.print(report(manifest));
            out.println("version " + manifest.version() + " (in " + store.directory() + ")");
        }
    }

    /** The dataset of {@link #dataset()}: the project's events from ClickHouse, replayed through the engine's state code. */
    Dataset buildDataset(Config config, Consumer<String> progress) {
        Optional<RunState> live = RunState.readLive(RunState.devDir(config));
        String project = dataset.project() != null ? dataset.project()
                : live.map(RunState::projectId).orElseGet(() -> config.getString("beacon.bootstrap-project.id"));
        FeatureSpec spec = spec(ScoringSettings.fromConfig(config).servingSpec());
        EngineSettings engine = EngineSettings.fromConfig(config);
        String revenueProperty = engine.revenuePropertyFor(project);
        long asOf = (dataset.asOf() != null ? dataset.asOf() : Instant.now()).toEpochMilli();
        List<Long> cutoffs = Cutoffs.of(Cutoffs.defaultLatest(asOf, spec.horizonMs()), dataset.stepMs(), dataset.cutoffs());
        long until = cutoffs.get(cutoffs.size() - 1) + spec.horizonMs();
        progress.accept("dataset: " + dataset.task().id() + " for project " + project + ", cutoffs "
                + cutoffs.stream().map(t -> Instant.ofEpochMilli(t).toString()).toList() + ", horizon " + spec.horizonMs() / 3_600_000 + " h, "
                + spec.size() + " features, qualifying " + (spec.qualifyingEvents().isEmpty() ? "every event" : spec.qualifyingEvents()));
        DatasetBuilder builder = new DatasetBuilder(spec, new UserStateReplay(engine), revenueProperty);
        List<DatasetRow> rows = new ArrayList<>();
        ClickHouseSettings settings = clickHouseSettings(config, live);
        try (ClickHouse ch = ClickHouse.connect(settings)) {
            new MlEventReader(ch).read(project, revenueProperty, until,
                    part -> rows.addAll(builder.build(dataset.task(), part, cutoffs, progress).rows()), progress);
        } catch (WarehouseException e) {
            if (e.serverCode() == WarehouseException.NO_SERVER_CODE) {
                throw new IllegalStateException("ClickHouse at " + settings.url() + " did not answer (no running ./beacon up stack;"
                        + " set beacon.clickhouse.url / BEACON_CLICKHOUSE_URL for another one): " + e.getMessage(), e);
            }
            throw e;
        }
        if (rows.isEmpty()) {
            throw new IllegalStateException("project " + project + " has no events up to " + Instant.ofEpochMilli(cutoffs.get(cutoffs.size() - 1))
                    + " (the newest cutoff); nothing to build a dataset from");
        }
        return new Dataset(dataset.task(), spec, rows);
    }

    /** The engine's serving spec with this command's horizon and qualifying events (the feature list stays the engine's). */
    FeatureSpec spec(FeatureSpec serving) {
        return FeatureSpec.of(dataset.qualifying() != null ? dataset.qualifying() : serving.qualifyingEvents(), serving.trackedEvents(),
                dataset.horizonMs() != null ? dataset.horizonMs() : serving.horizonMs());
    }

    private static ClickHouseSettings clickHouseSettings(Config config, Optional<RunState> live) {
        ClickHouseSettings settings = ClickHouseSettings.fromConfig(config);
        if (live.isPresent()) {
            settings = new ClickHouseSettings(live.get().clickhouseUrl(), live.get().clickhouseDatabase(), settings.user(),
                    settings.password(), settings.socketTimeout());
        }
        return settings;
    }

    /** Rows per cutoff with the label's mean (churn: the churn rate; LTV: mean revenue in the horizon). */
    static String summary(Dataset ds) {
        Map<Long, double[]> byCutoff = new TreeMap<>();
        for (DatasetRow r : ds.rows()) {
            double[] acc = byCutoff.computeIfAbsent(r.cutoffMs(), k -> new double[2]);
            acc[0]++;
            acc[1] += r.label();
        }
        List<List<String>> rows = new ArrayList<>();
        int i = 0;
        for (Map.Entry<Long, double[]> e : byCutoff.entrySet()) {
            String role = ++i == byCutoff.size() ? "holdout" : "train";
            rows.add(List.of(Instant.ofEpochMilli(e.getKey()).toString(), role, Long.toString((long) e.getValue()[0]),
                    f4(e.getValue()[1] / e.getValue()[0])));
        }
        return table(List.of("cutoff", "role", "rows", ds.task() == Task.CHURN ? "churn rate" : "mean ltv"), rows);
    }

    // ---- list -----------------------------------------------------------------------------------------------

    private void list(Config config, PrintStream out) throws IOException {
        ModelStore store = new ModelStore(modelDir != null ? modelDir : modelDir(config));
        List<ModelManifest> versions = store.list();
        if (versions.isEmpty()) {
            out.println("no models in " + store.directory());
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (ModelManifest m : versions) {
            rows.add(List.of(m.version(), m.task().id(), m.trainer().id(), m.createdAt(),
                    m.training().trainRows() + "/" + m.training().testRows(), keyMetrics(m.evaluation())));
        }
        out.print(table(List.of("version", "task", "trainer", "created", "train/holdout rows", "holdout metrics"), rows));
        out.println(versions.size() + " version(s) in " + store.directory());
    }

    /** churn: ROC AUC, PR AUC, log loss; LTV: RMSE against the mean baseline's, R². */
    static String keyMetrics(EvaluationReport e) {
        Map<String, Double> m = e.metrics();
        if (e.task() == Task.CHURN) {
            return "roc_auc " + f4(m.getOrDefault("roc_auc", Double.NaN)) + "  pr_auc " + f4(m.getOrDefault("pr_auc", Double.NaN))
                    + "  log_loss " + f4(m.getOrDefault("log_loss", Double.NaN));
        }
        return "rmse " + f4(m.getOrDefault("rmse", Double.NaN)) + " (mean baseline " + f4(m.getOrDefault("rmse_mean_baseline", Double.NaN))
                + ")  r2 " + f4(m.getOrDefault("r2", Double.NaN));
    }

    /** The evaluation report of a written version: metrics, calibration (churn), top features. */
    static String report(ModelManifest m) {
        EvaluationReport e = m.evaluation();
        StringBuilder sb = new StringBuilder();
        sb.append(m.task().id()).append(" / ").append(m.trainer().id()).append(": trained on ").append(m.training().trainRows())
                .append(" rows, evaluated on the newest cutoff's ").append(e.testRows()).append(" rows\n");
        List<List<String>> metrics = new ArrayList<>();
        new TreeMap<>(e.metrics()).forEach((k, v) -> metrics.add(List.of(k, f4(v))));
        sb.append(table(List.of("metric", "value"), metrics));
        if (!e.calibration().isEmpty()) {
            List<List<String>> bins = new ArrayList<>();
            for (CalibrationBin b : e.calibration()) {
                bins.add(List.of(String.format(Locale.ROOT, "[%.1f, %.1f)", b.lower(), b.upper()), f4(b.meanPredicted()),
                        f4(b.observedRate()), Long.toString(b.count())));
            }
            sb.append("calibration\n").append(table(List.of("predicted", "mean predicted", "observed rate", "rows"), bins));
        }
        List<List<String>> top = new ArrayList<>();
        for (FeatureWeight w : e.topFeatures()) {
            top.add(List.of(w.feature(), f4(w.weight())));
        }
        sb.append("top features\n").append(table(List.of("feature", "importance"), top));
        return sb.toString();
    }

    /** The configured model directory ({@value #MODEL_DIR}), a relative one against {@code beacon.home}. */
    static Path modelDir(Config config) {
        Path home = Paths.get(System.getProperty("beacon.home", ".")).toAbsolutePath().normalize();
        return home.resolve(config.getString(MODEL_DIR)).normalize();
    }

    // ---- output ---------------------------------------------------------------------------------------------

    static String f4(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** Left-aligned columns, two spaces apart, header first. */
    static String table(List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> r : all) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < width.length; c++) {
                line.append(c == 0 ? "" : "  ").append(c == width.length - 1 ? r.get(c) : pad(r.get(c), width[c]));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
