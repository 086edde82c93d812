package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./beacon ml train --csv} end to end on a small CSV: the printed table holds each trainer's mean CV ROC AUC. */
class MlTrainCsvTest {

    @TempDir
    Path dir;

    /**
     * 400 customers shaped like Telco's columns (an id, a categorical contract, numeric tenure and charges); churn is
     * drawn from a logistic function of them, so a model can learn it but not perfectly.
     */
    private Path churnCsv() throws IOException {
        Random r = new Random(5);
        String[] contracts = {"Month-to-month", "One year", "Two year"};
        StringBuilder sb = new StringBuilder("customerID,Contract,tenure,MonthlyCharges,Churn\n");
        for (int i = 0; i < 400; i++) {
            int contract = r.nextInt(3);
            int tenure = r.nextInt(72);
            double charges = 20 + 90 * r.nextDouble();
            double logit = 1.0 - 1.2 * contract - 0.05 * tenure + 0.02 * (charges - 60);
            boolean churn = r.nextDouble() < 1 / (1 + Math.exp(-logit));
            sb.append(String.format(Locale.ROOT, "c-%04d,%s,%d,%.2f,%s%n", i, contracts[contract], tenure, charges, churn ? "Yes" : "No"));
        }
        Path f = dir.resolve("churn.csv");
        Files.writeString(f, sb.toString());
        return f;
    }

    @Test
    void shouldPrintEachTrainersMeanCrossValidatedRocAuc() throws IOException {
        Path csv = churnCsv();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MlCommand.execute(new String[] {"train", "--csv", csv.toString(), "--label", "Churn", "--id", "customerID", "--folds", "3"},
                ConfigFactory.load(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        String text = out.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        List<String> lines = text.lines().toList();
        assertTrue(lines.get(0).startsWith("churn.csv: 400 rows, 5 features (2 numeric, 1 one-hot columns), positive 'Yes'"), lines.get(0));
        assertEquals(List.of("trainer", "mean", "ROC", "AUC", "fold", "ROC", "AUC"), List.of(lines.get(1).split("\\s+")));
        List<String> trainers = new ArrayList<>();
        for (String line : lines.subList(2, lines.size())) {
            String[] f = line.split("\\s+");
            trainers.add(f[0]);
            assertEquals(5, f.length, line);
            double mean = Double.parseDouble(f[1]);
            assertTrue(mean > 0.5 && mean <= 1, line);
            double sum = 0;
            for (int i = 2; i < 5; i++) {
                double fold = Double.parseDouble(f[i]);
                assertTrue(fold > 0 && fold <= 1, line);
                sum += fold;
            }
            assertEquals(mean, sum / 3, 1e-3, line);
        }
        assertEquals(List.of("logistic", "cart", "xgboost"), trainers);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("csv: logistic fold 3/3 ROC AUC"), "progress goes to stderr");
    }

    @Test
    void shouldRefuseALabelColumnThatIsMissingOrNotBinary() throws IOException {
        Path csv = churnCsv();
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> MlCommand.parse(
                new String[] {"train", "--csv", csv.toString(), "--label", "churned"}).run(ConfigFactory.load(), System.out, System.err));
        assertTrue(missing.getMessage().startsWith("--label churned: no such column in " + csv
                + " (columns: customerID, Contract, tenure, MonthlyCharges, Churn)"), missing.getMessage());
        IllegalArgumentException notBinary = assertThrows(IllegalArgumentException.class, () -> MlCommand.parse(
                new String[] {"train", "--csv", csv.toString(), "--label", "Contract"}).run(ConfigFactory.load(), System.out, System.err));
        assertTrue(notBinary.getMessage().startsWith("--label Contract: the label needs exactly two values"), notBinary.getMessage());
        IllegalArgumentException noId = assertThrows(IllegalArgumentException.class, () -> MlCommand.parse(
                new String[] {"train", "--csv", csv.toString(), "--label", "Churn", "--id", "id"}).run(ConfigFactory.load(), System.out, System.err));
        assertEquals("--id id: no such column in " + csv, noId.getMessage());
    }
}
