package io.beacon.ml.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.beacon.ml.FeatureSpec;
import io.beacon.ml.ModelRefusedException;
import io.beacon.ml.RefusalCode;
import io.beacon.ml.Task;
import io.beacon.ml.train.ModelPredictor;
import io.beacon.ml.train.TrainedModel;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.tribuo.Model;
import org.tribuo.protos.core.ModelProto;

/**
 * The model directory: one sub-directory per version holding {@value #MODEL_FILE} (the Tribuo model as
 * protobuf, {@link Model#serialize()}; never Java serialization) and {@value #MANIFEST_FILE}. Model files are
 * code, so {@link #load} reads only from inside this directory (real paths, symbolic links resolved) and checks
 * the artifact before use; see docs/ml.md, "Artifacts and refusals". Safe for concurrent readers; a version is
 * written to a hidden temporary directory and renamed into place, so a reader never sees half of one.
 */
public final class ModelStore {
    public static final String MODEL_FILE = "model.tribuo";
    public static final String MANIFEST_FILE = "manifest.json";
    /** A version id. */
    public static final Pattern VERSION_ID = Pattern.compile("[a-z0-9-]+");

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;

    public ModelStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path directory() {
        return dir;
    }

    /** The mapper manifests are read and written with. */
    public static ObjectMapper json() {
        return JSON;
    }

    /**
     * Writes {@code m} as a new version {@code <task>-<trainer>-<yyyyMMdd-HHmmss>-<first 8 hex of the model's SHA-256>}.
     *
     * @return the manifest written
     */
    public ModelManifest write(TrainedModel m, Instant createdAt) throws IOException {
        Files.createDirectories(dir);
        byte[] bytes = m.model().serialize().toByteArray();
        String sha = sha256(bytes);
        String version = m.task().id() + "-" + m.trainer().id() + "-" + STAMP.format(createdAt) + "-" + sha.substring(0, 8);
        ModelManifest manifest = new ModelManifest(ModelManifest.FORMAT, version, m.task(), m.trainer(), createdAt.toString(), m.spec(),
                m.spec().fingerprint(), m.standardization(), m.evaluation(), m.info(), MODEL_FILE, sha);
        Path target = dir.resolve(version);
        if (Files.exists(target)) {
            throw new IOException("version " + version + " exists in " + dir);
        }
        Path tmp = Files.createTempDirectory(dir, ".writing-");
        Files.write(tmp.resolve(MODEL_FILE), bytes);
        JSON.writeValue(tmp.resolve(MANIFEST_FILE).toFile(), manifest);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        return manifest;
    }

    /** The manifests of the readable versions, newest first (unreadable ones are skipped; {@link #load} says why). */
    public List<ModelManifest> list() throws IOException {
        List<ModelManifest> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(dir)) {
            for (Path p : versions) {
                String name = p.getFileName().toString();
                if (!VERSION_ID.matcher(name).matches() || !Files.isDirectory(p)) {
                    continue;
                }
                try {
                    out.add(JSON.readValue(p.resolve(MANIFEST_FILE).toFile(), ModelManifest.class));
                } catch (IOException unreadable) {
                    // listed by load() as model_corrupt; a listing shows only what can be used
                }
            }
        }
        out.sort(Comparator.comparing(ModelManifest::createdAt).thenComparing(ModelManifest::version).reversed());
        return out;
    }

    /**
     * Loads {@code version} for serving {@code task} with {@code servingSpec}, after checking, in order: the id and
     * real paths stay inside the directory ({@code model_outside_dir}), the version exists ({@code model_not_found}),
     * the manifest parses ({@code model_corrupt}), the model bytes' SHA-256 and the feature list's fingerprint match
     * the manifest ({@code model_tampered}), the bytes parse as a Tribuo model ({@code model_corrupt}), the task
     * matches ({@code model_wrong_task}), the fingerprint equals the serving spec's
     * ({@code model_incompatible_features}).
     */
    public LoadedModel load(String version, Task task, FeatureSpec servingSpec) throws ModelRefusedException {
        Path versionDir = versionDir(version);
        Path manifestFile = inside(versionDir, MANIFEST_FILE, version);
        ModelManifest manifest;
        try {
            manifest = JSON.readValue(manifestFile.toFile(), ModelManifest.class);
        } catch (IOException e) {
            throw new ModelRefusedException(RefusalCode.MODEL_CORRUPT, "the manifest of " + version + " cannot be read: " + e.getMessage(), e);
        }
        if (manifest.format() != ModelManifest.FORMAT || !version.equals(manifest.version()) || manifest.task() == null
                || manifest.featureSpec() == null || manifest.modelFile() == null || manifest.standardization() == null) {
            throw new ModelRefusedException(RefusalCode.MODEL_CORRUPT, "the manifest of " + version + " is incomplete or names another version");
        }
        Path modelFile = inside(versionDir, manifest.modelFile(), version);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(modelFile);
        } catch (IOException e) {
            throw new ModelRefusedException(RefusalCode.MODEL_CORRUPT, "the model file of " + version + " cannot be read: " + e.getMessage(), e);
        }
        if (!sha256(bytes).equals(manifest.modelSha256())) {
            throw new ModelRefusedException(RefusalCode.MODEL_TAMPERED, "the SHA-256 of " + version + "'s model file differs from its manifest's");
        }
        if (!FeatureSpec.fingerprintOf(manifest.featureSpec().featureNames()).equals(manifest.featureFingerprint())) {
            throw new ModelRefusedException(RefusalCode.MODEL_TAMPERED, "the feature list in " + version + "'s manifest does not match its fingerprint");
        }
        Model<?> model;
        try {
            model = Model.deserialize(ModelProto.parseFrom(bytes));
        } catch (IOException | RuntimeException e) {
            throw new ModelRefusedException(RefusalCode.MODEL_CORRUPT, "the model file of " + version + " is not a Tribuo model: " + e.getMessage(), e);
        }
        if (manifest.task() != task) {
            throw new ModelRefusedException(RefusalCode.MODEL_WRONG_TASK, version + " predicts " + manifest.task().id() + ", not " + task.id());
        }
        if (!manifest.featureFingerprint().equals(servingSpec.fingerprint())) {
            throw new ModelRefusedException(RefusalCode.MODEL_INCOMPATIBLE_FEATURES, version + " was trained on features "
                    + manifest.featureFingerprint().substring(0, 12) + "…, the serving spec has " + servingSpec.fingerprint().substring(0, 12) + "…");
        }
        for (var f : model.getFeatureIDMap()) {
            if (!servingSpec.featureNames().contains(f.getName())) {
                throw new ModelRefusedException(RefusalCode.MODEL_INCOMPATIBLE_FEATURES, version + "'s model reads feature " + f.getName() + ", which the spec lacks");
            }
        }
        ModelPredictor predictor;
        try {
            predictor = new ModelPredictor(task, manifest.trainer(), manifest.featureSpec(), model, manifest.standardization());
        } catch (ClassCastException e) {
            throw new ModelRefusedException(RefusalCode.MODEL_WRONG_TASK, version + "'s model does not predict " + task.id() + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ModelRefusedException(RefusalCode.MODEL_CORRUPT, version + "'s manifest does not fit its model: " + e.getMessage(), e);
        }
        return new LoadedModel(manifest, predictor);
    }

    private Path versionDir(String version) throws ModelRefusedException {
        if (version == null || !VERSION_ID.matcher(version).matches()) {
            throw new ModelRefusedException(RefusalCode.MODEL_OUTSIDE_DIR, "a version id is [a-z0-9-]+, was " + version);
        }
        Path candidate = dir.resolve(version);
        if (!Files.exists(candidate)) {
            throw new ModelRefusedException(RefusalCode.MODEL_NOT_FOUND, "no version " + version + " in " + dir);
        }
        try {
            Path real = candidate.toRealPath();
            if (!real.startsWith(dir.toRealPath()) || !Files.isDirectory(real)) {
                throw new ModelRefusedException(RefusalCode.MODEL_OUTSIDE_DIR, "version " + version + " resolves to " + real + ", outside " + dir);
            }
            return real;
        } catch (NoSuchFileException e) {
            throw new ModelRefusedException(RefusalCode.MODEL_NOT_FOUND, "no version " + version + " in " + dir, e);
        } catch (IOException e) {
            throw new ModelRefusedException(RefusalCode.MODEL_NOT_FOUND, "version " + version + " cannot be opened: " + e.getMessage(), e);
        }
    }

    /** {@code name} inside {@code versionDir} as a real path that stays inside it. */
    private static Path inside(Path versionDir, String name, String version) throws ModelRefusedException {
        Path candidate = versionDir.resolve(name).normalize();
        if (!Files.exists(candidate)) {
            throw new ModelRefusedException(RefusalCode.MODEL_CORRUPT, version + " lacks " + name);
        }
        try {
            Path real = candidate.toRealPath();
            if (!real.startsWith(versionDir) || !Files.isRegularFile(real)) {
                throw new ModelRefusedException(RefusalCode.MODEL_OUTSIDE_DIR, version + "'s " + name + " resolves to " + real + ", outside " + versionDir);
            }
            return real;
        } catch (IOException e) {
            throw new ModelRefusedException(RefusalCode.MODEL_CORRUPT, version + "'s " + name + " cannot be opened: " + e.getMessage(), e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
