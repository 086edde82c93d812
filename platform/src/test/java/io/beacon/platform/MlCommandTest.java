package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.beacon.ml.FeatureSpec;
import io.beacon.ml.Task;
import io.beacon.ml.TrainerKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlCommandTest {
    private static final long DAY_MS = 86_400_000L;

    @TempDir
    Path dir;

    private static MlCommand parse(String... args) {
        return MlCommand.parse(args);
    }

    private static String refusal(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> MlCommand.parse(args)).getMessage();
    }

    private Path csv() throws IOException {
        Path f = dir.resolve("data.csv");
        Files.writeString(f, "id,x,label\n1,0.5,yes\n2,0.1,no\n");
        return f;
    }

    @Test
    void shouldParseTrainCsvWithDefaultsOfAllTrainersFiveFoldsAndSeed42() throws IOException {
        Path f = csv();
        MlCommand c = parse("train", "--csv", f.toString(), "--label", "label", "--id", "id");
        assertEquals(MlCommand.Action.TRAIN_CSV, c.action());
        assertEquals(f, c.csv());
        assertEquals("label", c.label());
        assertEquals("id", c.idColumn());
        assertEquals(List.of(TrainerKind.LOGISTIC, TrainerKind.CART, TrainerKind.XGBOOST), c.trainers());
        assertEquals(5, c.folds());
        assertEquals(42, c.seed());
    }

    @Test
    void shouldParseOneTrainerFoldsAndSeed() throws IOException {
        MlCommand c = parse("train", "--csv", csv().toString(), "--label", "label", "--trainer", "XGBoost", "--folds", "3", "--seed", "7");
        assertEquals(List.of(TrainerKind.XGBOOST), c.trainers());
        assertEquals(3, c.folds());
        assertEquals(7, c.seed());
        assertNull(c.idColumn());
    }

    @Test
    void shouldParseTrainTaskWithXgboostByDefaultForLtvAndTheDatasetOptions() {
        MlCommand c = parse("train", "--task", "ltv", "--project", "shop", "--horizon", "7d", "--cutoffs", "4", "--step", "3d",
                "--as-of", "2026-12-01", "--qualifying", "Order Completed, Signed In", "--model-dir", dir.toString());
        assertEquals(MlCommand.Action.TRAIN_TASK, c.action());
        assertEquals(List.of(TrainerKind.XGBOOST), c.trainers());
        assertEquals(new MlCommand.DatasetArgs(Task.LTV, "shop", 7 * DAY_MS, 4, 3 * DAY_MS, Instant.parse("2026-12-01T00:00:00Z"),
                List.of("Order Completed", "Signed In")), c.dataset());
        assertEquals(dir, c.modelDir());
    }

    @Test
    void shouldTrainChurnWithTheLinearModelByDefaultAndHonourAnExplicitTrainer() {
        assertEquals(List.of(TrainerKind.LOGISTIC), parse("train", "--task", "churn").trainers());
        assertEquals(List.of(TrainerKind.CART), parse("train", "--task", "ltv", "--trainer", "cart").trainers());
    }

    @Test
    void shouldDefaultTheDatasetToThreeCutoffsAWeekApartAndTheEnginesHorizonAndQualifyingEvents() {
        MlCommand c = parse("dataset", "--task", "churn", "--out", "x.csv");
        assertEquals(new MlCommand.DatasetArgs(Task.CHURN, null, null, 3, 7 * DAY_MS, null, null), c.dataset());
        assertEquals(Path.of("x.csv"), c.out());
        FeatureSpec serving = FeatureSpec.of(List.of("a"), List.of("Order Completed"), 14 * DAY_MS);
        assertEquals(serving, c.spec(serving));
        FeatureSpec overridden = parse("dataset", "--task", "churn", "--out", "x.csv", "--horizon", "30d", "--qualifying", "b")
                .spec(serving);
        assertEquals(serving.featureNames(), overridden.featureNames());
        assertEquals(serving.fingerprint(), overridden.fingerprint());
        assertEquals(30 * DAY_MS, overridden.horizonMs());
        assertEquals(List.of("b"), overridden.qualifyingEvents());
    }

    @Test
    void shouldParseListWithAnOptionalModelDir() {
        assertEquals(MlCommand.Action.LIST, parse("list").action());
        assertNull(parse("list").modelDir());
        assertEquals(dir, parse("list", "--model-dir", dir.toString()).modelDir());
    }

    @Test
    void shouldNameTheOptionAtFault() throws IOException {
        String f = csv().toString();
        assertTrue(refusal("train").contains("either --csv FILE or --task"));
        assertTrue(refusal("train", "--csv", f, "--task", "churn").contains("either --csv FILE or --task"));
        assertTrue(refusal("train", "--csv", f).startsWith("--label is required"));
        assertEquals("--csv " + dir.resolve("none.csv") + ": no such file", refusal("train", "--csv", dir.resolve("none.csv").toString(), "--label", "y"));
        assertEquals("--trainer is one of logistic|cart|xgboost|all, was 'svm'", refusal("train", "--csv", f, "--label", "y", "--trainer", "svm"));
        assertEquals("--folds must be at least 2, was 1", refusal("train", "--csv", f, "--label", "y", "--folds", "1"));
        assertEquals("--folds takes a whole number, was 'five'", refusal("train", "--csv", f, "--label", "y", "--folds", "five"));
        assertEquals("--seed takes a whole number, was '4.2'", refusal("train", "--csv", f, "--label", "y", "--seed", "4.2"));
        assertEquals("--id label is the label column", refusal("train", "--csv", f, "--label", "label", "--id", "label"));
        assertTrue(refusal("train", "--csv", f, "--label", "y", "--horizon", "7d").startsWith("unknown option(s) --horizon;"));
        assertTrue(refusal("dataset", "--out", "x.csv").startsWith("--task is required"));
        assertEquals("--task is one of churn|ltv, was 'retention'", refusal("dataset", "--task", "retention", "--out", "x.csv"));
        assertTrue(refusal("dataset", "--task", "churn").startsWith("--out is required"));
        assertEquals("--horizon takes a duration such as 14d, 12h, 30m or 90s, was '2w'",
                refusal("dataset", "--task", "churn", "--out", "x.csv", "--horizon", "2w"));
        assertEquals("--step must be positive, was '0d'", refusal("dataset", "--task", "churn", "--out", "x.csv", "--step", "0d"));
        assertEquals("--cutoffs must be at least 1, was 0", refusal("dataset", "--task", "churn", "--out", "x.csv", "--cutoffs", "0"));
        assertTrue(refusal("dataset", "--task", "churn", "--out", "x.csv", "--as-of", "yesterday")
                .startsWith("--as-of takes an ISO-8601 instant"));
        assertTrue(refusal("dataset", "--task", "churn", "--out").startsWith("--out needs a value"));
        assertTrue(refusal("dataset", "--task", "churn", "--task", "ltv", "--out", "x").startsWith("--task given twice"));
        assertTrue(refusal("dataset", "--task", "churn", "--out", "x.csv", "--model-dir", "m").startsWith("unknown option(s) --model-dir;"));
        assertTrue(refusal("list", "stray").startsWith("unexpected 'stray'"));
        assertTrue(refusal("list", "--bogus", "1", "--other", "2").startsWith("unknown option(s) --bogus, --other; usage: ./beacon ml list"));
    }

    @Test
    void shouldAnswerUsageWithExitCode2WithoutOrWithAnUnknownSubcommand() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, MlCommand.execute(new String[0], ConfigFactory.load(), o, e));
        assertEquals(2, MlCommand.execute(new String[] {"promote"}, ConfigFactory.load(), o, e));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("unknown ml command 'promote'"), text);
        assertTrue(text.contains("usage: ./beacon ml train --csv FILE --label COLUMN"), text);
        assertTrue(text.contains("./beacon ml list [--model-dir DIR]"), text);
        assertEquals(0, MlCommand.execute(new String[] {"help"}, ConfigFactory.load(), o, e));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: ./beacon ml train"));
    }

    @Test
    void shouldListNoModelsInAnEmptyDirectory() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertEquals(0, parse("list", "--model-dir", dir.resolve("models").toString()).run(ConfigFactory.load(), o, System.err));
        assertEquals("no models in " + dir.resolve("models") + "\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldResolveTheConfiguredModelDirAgainstBeaconHome() {
        String home = System.getProperty("beacon.home", ".");
        Path expected = Path.of(home).toAbsolutePath().normalize().resolve(".beacon/models");
        assertEquals(expected, MlCommand.modelDir(ConfigFactory.load()));
    }

    @Test
    void shouldPrintAlignedTables() {
        assertEquals("a    bb\nccc  d\n", MlCommand.table(List.of("a", "bb"), List.of(List.of("ccc", "d"))));
    }
}
