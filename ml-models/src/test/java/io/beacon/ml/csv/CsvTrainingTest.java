package io.beacon.ml.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.ml.TrainerKind;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CsvTrainingTest {
    private static CsvTrainingResult telco;

    static Path telcoCsv() throws URISyntaxException {
        return Path.of(CsvTrainingTest.class.getResource("/datasets/telco-customer-churn.csv").toURI());
    }

    @BeforeAll
    static void crossValidateTelco() throws Exception {
        telco = CsvTraining.run(telcoCsv(), "Churn", "customerID", 5, 42, System.out::println);
    }

    @Test
    void shouldLoadTelcoWithNumbersAsNumbersAndTextOneHot() {
        assertEquals(7043, telco.rows());
        assertEquals("Yes", telco.positiveLabel());
        assertEquals(0.2654, telco.positiveRate(), 1e-4);
        assertEquals(List.of("SeniorCitizen", "tenure", "MonthlyCharges"), telco.numericColumns().subList(0, 3));
        assertTrue(telco.numericColumns().contains("TotalCharges"), "a blank TotalCharges does not make the column text");
        assertTrue(telco.textColumns().contains("Contract"));
        assertTrue(!telco.textColumns().contains("customerID") && !telco.numericColumns().contains("customerID"));
    }

    @Test
    void shouldReachTheReferenceAucWithL2LogisticRegression() {
        TrainerCv logistic = telco.trainers().get(0);
        assertEquals(TrainerKind.LOGISTIC, logistic.trainer());
        assertEquals(5, logistic.foldAuc().size());
        assertTrue(logistic.meanAuc() >= 0.83, "logistic mean ROC AUC " + logistic.meanAuc());
    }

    @Test
    void shouldReportEveryTrainerWithAUsefulAuc() {
        assertEquals(List.of(TrainerKind.LOGISTIC, TrainerKind.CART, TrainerKind.XGBOOST), telco.trainers().stream().map(TrainerCv::trainer).toList());
        for (TrainerCv cv : telco.trainers()) {
            assertTrue(cv.meanAuc() > 0.75 && cv.meanAuc() < 0.9, cv.trainer() + " " + cv.meanAuc());
        }
    }
}
