package io.beacon.loadtest.sim;

import io.beacon.event.EventType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Deterministic simulation of shop users: sessions in each user's local daytime, page views or
 * screens, a shop funnel ({@link FunnelStep}) with drop-offs, login with {@code identify} (after which
 * events carry the {@code userId}), purchases with revenue (each person with an own purchase propensity,
 * {@link UserProfile#buyer()}), a churning subpopulation whose sessions
 * decay after a churn day, three platforms and nine time zones. It produces Segment batch items
 * (Segment Spec: Track, Page, Screen, Identify; e-commerce event names) and tallies the
 * {@link GroundTruth} while deciding the behaviour.
 *
 * <p>Every user is generated from {@code seed} and the user's index alone, so {@link #user(int)} is
 * random access, the same settings always give byte-identical events, and event streams of any size
 * need no memory beyond one user's history.
 */
public final class BehaviourSimulator {

    private record Zone(String id, ZoneId zone, String country, String locale, int weight) {
        Zone(String id, String country, String locale, int weight) {
            this(id, ZoneId.of(id), country, locale, weight);
        }
    }

    private record Product(String id, String name, String category, long priceCents) {
    }

    private static final List<Zone> ZONES = List.of(
            new Zone("America/New_York", "US", "en-US", 20),
            new Zone("America/Los_Angeles", "US", "en-US", 12),
            new Zone("America/Sao_Paulo", "BR", "pt-BR", 8),
            new Zone("Europe/London", "GB", "en-GB", 12),
            new Zone("Europe/Berlin", "DE", "de-DE", 14),
            new Zone("Asia/Kolkata", "IN", "en-IN", 10),
            new Zone("Asia/Shanghai", "CN", "zh-CN", 10),
            new Zone("Asia/Tokyo", "JP", "ja-JP", 8),
            new Zone("Australia/Sydney", "AU", "en-AU", 6));
    private static final int ZONE_WEIGHT = ZONES.stream().mapToInt(Zone::weight).sum();

    private static final String[] WEB_PAGES = {"/", "/search", "/category/shoes", "/category/bags", "/category/jackets",
            "/blog/how-to-choose", "/help/shipping", "/account"};
    private static final String[] SCREENS = {"Home", "Search", "Category", "Wishlist", "Settings", "Orders"};
    private static final String[] REFERRERS = {"https://www.google.com/", "https://news.example.org/deals", "", "",
            "https://social.example.com/post/1"};
    private static final String[] CATEGORIES = {"shoes", "bags", "jackets", "accessories"};
    private static final List<Product> PRODUCTS = products();

    /** Probabilities of the funnel: entering it, then each next step given the previous one. */
    static final double P_VIEW = 0.55;
    static final double P_ADD = 0.35;
    static final double P_CHECKOUT = 0.6;
    static final double P_LOGIN_AT_CHECKOUT = 0.75;
    static final double P_ORDER = 0.65;
    /** Chance an anonymous user logs in during a session for reasons other than checking out. */
    static final double P_CASUAL_LOGIN = 0.08;
    /** Days over which a churner's session rate falls by a factor e after its churn day. */
    static final double CHURN_DECAY_DAYS = 1.2;

    private final SimulatorSettings settings;

    public BehaviourSimulator(SimulatorSettings settings) {
        this.settings = settings;
    }

    public SimulatorSettings settings() {
        return settings;
    }

    /** User {@code index}'s history; the same for the same settings, whatever else was generated before. */
    public UserHistory user(int index) {
        if (index < 0 || index >= settings.users()) {
            throw new IndexOutOfBoundsException("user " + index + " of " + settings.users());
        }
        GroundTruth.Tally tally = new GroundTruth.Tally();
        List<SimEvent> events = new UserRun(index, tally).run();
        return new UserHistory(profileOf(index, random(index)), events, tally.freeze());
    }

    /** Every user's events, user by user, each user's in time order. Lazy: one user is held at a time. */
    public Stream<SimEvent> events() {
        return IntStream.range(0, settings.users()).mapToObj(this::user).flatMap(h -> h.events().stream());
    }

    /** The truth about {@link #events()}, tallied while generating (it generates every user once more). */
    public GroundTruth groundTruth() {
        GroundTruth.Tally total = new GroundTruth.Tally();
        for (int i = 0; i < settings.users(); i++) {
            new UserRun(i, total).run();
        }
        return total.freeze();
    }

    /** Generates everything once, keeping the events: for small simulations (tests, smoke runs). */
    public Simulation run() {
        GroundTruth.Tally total = new GroundTruth.Tally();
        List<SimEvent> all = new ArrayList<>();
        for (int i = 0; i < settings.users(); i++) {
            all.addAll(new UserRun(i, total).run());
        }
        return new Simulation(settings, all, total.freeze());
    }

    /** The generated events of {@link #run()} and their truth. */
    public record Simulation(SimulatorSettings settings, List<SimEvent> events, GroundTruth truth) {
        public Simulation {
            events = List.copyOf(events);
        }
    }

    private SplittableRandom random(int index) {
        // SplitMix64's finalizer (Steele, Lea, Flood: "Fast splittable pseudorandom number generators",
        // OOPSLA 2014) spreads seed and index so neighbouring users are unrelated streams.
        long z = settings.seed() * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new SplittableRandom(z ^ (z >>> 31));
    }

    private UserProfile profileOf(int index, SplittableRandom r) {
        double p = r.nextDouble();
        Platform platform = p < 0.55 ? Platform.WEB : p < 0.8 ? Platform.IOS : Platform.ANDROID;
        int w = r.nextInt(ZONE_WEIGHT);
        Zone zone = ZONES.get(ZONES.size() - 1);
        for (Zone z : ZONES) {
            if (w < z.weight()) {
                zone = z;
                break;
            }
            w -= z.weight();
        }
        boolean churner = r.nextDouble() < settings.churnFraction();
        int churnDay = churner ? r.nextInt(Math.max(1, settings.days() - 1)) : -1;
        double activity = 0.3 + 1.7 * r.nextDouble() * r.nextDouble(); // skewed: most users light, a few heavy
        double buyer = chiSquare1(r);
        String anonymousId = String.format("anon-%016x-%08x", settings.seed(), index);
        return new UserProfile(index, anonymousId, "user-" + settings.seed() + "-" + index, platform,
                zone.id(), zone.country(), zone.locale(), churner, churnDay, activity, buyer);
    }

    /**
     * A chi-square draw with one degree of freedom (the square of a standard normal, Box-Muller): a gamma
     * distribution of shape 1/2 and mean 1, the purchase-rate heterogeneity of the NBD/Pareto-NBD customer-base
     * models (Schmittlein, Morrison, Colombo 1987; Fader, Hardie, Lee 2005) with a spread typical of shops: most
     * people rarely buy, a few buy often.
     */
    static double chiSquare1(SplittableRandom r) {
        double u = 1.0 - r.nextDouble(); // (0, 1]
        double z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
        return z * z;
    }

    /** A funnel step's chance for a person of purchase propensity {@code buyer}: {@code 1 - (1 - p)^buyer}. */
    static double forBuyer(double p, double buyer) {
        return 1 - Math.pow(1 - p, buyer);
    }

    /** Generates one user's history, tallying into a given tally. */
    private final class UserRun {
        private final int index;
        private final GroundTruth.Tally tally;
        private final SplittableRandom r;
        private final UserProfile user;
        private final ZoneId zone;
        private final List<SimEvent> events = new ArrayList<>();
        private final StringBuilder json = new StringBuilder(768);
        private boolean loggedIn;
        private int seq;
        private int userDeepest = -1;
        private long userOrders;
        private String sessionId;
        private long t;

        UserRun(int index, GroundTruth.Tally tally) {
            this.index = index;
            this.tally = tally;
            this.r = random(index);
            this.user = profileOf(index, r);
            this.zone = ZoneId.of(user.timezone());
        }

        List<SimEvent> run() {
            tally.user(user);
            LocalDate firstDay = LocalDate.ofInstant(settings.start(), ZoneOffset.UTC);
            long historyStart = settings.start().toEpochMilli();
            long busyUntil = Long.MIN_VALUE;
            int sessionNo = 0;
            for (int day = 0; day < settings.days(); day++) {
                double rate = settings.meanSessionsPerDay() * user.activity();
                if (user.churner() && day >= user.churnDay()) {
                    rate *= Math.exp(-(day - user.churnDay() + 1) / CHURN_DECAY_DAYS);
                }
                int n = poisson(rate);
                long[] starts = new long[n];
                for (int i = 0; i < n; i++) {
                    int secondOfDay = 8 * 3600 + r.nextInt(15 * 3600); // 08:00-23:00 local
                    starts[i] = firstDay.plusDays(day).atTime(LocalTime.ofSecondOfDay(secondOfDay)).atZone(zone)
                            .toInstant().toEpochMilli() + r.nextInt(1000);
                }
                Arrays.sort(starts);
                for (long start : starts) {
                    if (start < historyStart) {
                        continue; // daytime of day 0 in a zone east of UTC can begin before the history's first midnight
                    }
                    t = Math.max(start, busyUntil + 30 * 60_000L); // sessions are 30 min of inactivity apart
                    session(sessionNo++);
                    busyUntil = t;
                }
            }
            tally.userFunnel(userDeepest);
            if (userOrders > 0) {
                tally.purchaser();
            }
            return events;
        }

        private void session(int sessionNo) {
            sessionId = "s-" + settings.seed() + "-" + index + "-" + sessionNo;
            int deepest = -1;
            if (user.platform().mobile()) {
                track("Application Opened", props -> props.field("from_background", false).field("build", 3200L));
            } else {
                page(WEB_PAGES[0], REFERRERS[r.nextInt(REFERRERS.length)]);
            }
            int browsing = 1 + geometric(0.45, 8);
            for (int i = 0; i < browsing; i++) {
                browse();
            }
            if (!loggedIn && r.nextDouble() < P_CASUAL_LOGIN) {
                login();
            }
            double buyer = user.buyer();
            if (r.nextDouble() < forBuyer(P_VIEW, buyer)) {
                Product product = PRODUCTS.get(r.nextInt(PRODUCTS.size()));
                productEvent(FunnelStep.PRODUCT_VIEWED, product, 1, null);
                deepest = 0;
                if (r.nextDouble() < 0.4) {
                    browse();
                }
                if (r.nextDouble() < forBuyer(P_ADD, buyer)) {
                    long quantity = 1 + geometric(0.7, 3);
                    productEvent(FunnelStep.PRODUCT_ADDED, product, quantity, null);
                    deepest = 1;
                    if (r.nextDouble() < forBuyer(P_CHECKOUT, buyer)) {
                        if (!loggedIn && r.nextDouble() < P_LOGIN_AT_CHECKOUT) {
                            login();
                        }
                        if (loggedIn) {
                            productEvent(FunnelStep.CHECKOUT_STARTED, product, quantity, null);
                            deepest = 2;
                            if (r.nextDouble() < P_ORDER) {
                                String orderId = "o-" + settings.seed() + "-" + index + "-" + sessionNo;
                                productEvent(FunnelStep.ORDER_COMPLETED, product, quantity, orderId);
                                deepest = 3;
                            }
                        }
                    }
                }
            }
            if (user.platform().mobile()) {
                track("Application Backgrounded", props -> props);
            }
            tally.session(deepest);
            userDeepest = Math.max(userDeepest, deepest);
        }

        private void browse() {
            if (user.platform().mobile()) {
                screen(SCREENS[r.nextInt(SCREENS.length)]);
            } else {
                page(WEB_PAGES[r.nextInt(WEB_PAGES.length)], null);
            }
        }

        private void login() {
            loggedIn = true; // callers only log in an anonymous user, so this happens once per user
            tally.identified();
            emit(EventType.IDENTIFY, EventType.IDENTIFY.implicitEventName(), null, 0, item -> {
                JsonText traits = item.object("traits");
                traits.field("email", user.userId() + "@example.test")
                        .field("plan", (index % 5 == 0) ? "plus" : "free")
                        .field("platform", user.platform().column())
                        .end();
            });
            track("Signed In", props -> props.field("method", r.nextBoolean() ? "password" : "magic_link"));
        }

        private void productEvent(FunnelStep step, Product product, long quantity, String orderId) {
            long revenue = step == FunnelStep.ORDER_COMPLETED ? product.priceCents() * quantity : 0;
            if (step == FunnelStep.ORDER_COMPLETED) {
                userOrders++;
                tally.order(revenue);
            }
            emit(EventType.TRACK, step.eventName(), step, revenue, item -> {
                item.field("event", step.eventName());
                JsonText props = item.object("properties");
                props.field("product_id", product.id()).field("name", product.name())
                        .field("category", product.category()).cents("price", product.priceCents())
                        .field("quantity", quantity);
                if (orderId != null) {
                    props.field("order_id", orderId).cents("revenue", revenue).field("currency", "USD");
                }
                props.end();
            });
        }

        private void track(String name, UnaryOperator<JsonText> properties) {
            emit(EventType.TRACK, name, null, 0, item -> {
                item.field("event", name);
                properties.apply(item.object("properties")).end();
            });
        }

        private void page(String path, String referrer) {
            String title = path.equals("/") ? "Home" : path.substring(path.lastIndexOf('/') + 1);
            emit(EventType.PAGE, EventType.PAGE.implicitEventName(), null, 0, item -> {
                item.field("name", title);
                JsonText props = item.object("properties");
                props.field("path", path).field("url", "https://shop.example" + path).field("title", title);
                if (referrer != null && !referrer.isEmpty()) {
                    props.field("referrer", referrer);
                }
                props.end();
            });
        }

        private void screen(String name) {
            emit(EventType.SCREEN, EventType.SCREEN.implicitEventName(), null, 0, item -> {
                item.field("name", name);
                item.object("properties").field("name", name).end();
            });
        }

        private void emit(EventType type, String storedName, FunnelStep step, long revenueCents,
                          Consumer<JsonText> body) {
            t += 2_000 + r.nextInt(58_000); // 2-60 s between events in a session
            String messageId = "sim-" + settings.seed() + "-" + index + "-" + seq++;
            json.setLength(0);
            JsonText item = JsonText.object(json);
            item.field("type", type.wireName()).field("messageId", messageId).field("anonymousId", user.anonymousId());
            if (loggedIn) {
                item.field("userId", user.userId());
            }
            item.field("timestamp", Instant.ofEpochMilli(t).toString());
            body.accept(item);
            context(item.object("context")).end();
            item.end();
            tally.event(storedName);
            events.add(new SimEvent(index, messageId, type, storedName, t, sessionId, step, revenueCents, json.toString()));
        }

        private JsonText context(JsonText c) {
            Platform p = user.platform();
            c.object("library").field("name", p.library()).field("version", p.libraryVersion()).end();
            c.field("timezone", user.timezone()).field("locale", user.locale()).field("sessionId", sessionId);
            c.object("location").field("country", user.country()).end();
            switch (p) {
                case WEB -> {
                    c.field("userAgent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36");
                    c.object("os").field("name", "Linux").field("version", "6.1").end();
                }
                case IOS -> {
                    c.object("device").field("type", "ios").field("model", "iPhone15," + (1 + index % 4)).end();
                    c.object("os").field("name", "iOS").field("version", "17." + (index % 6)).end();
                    c.object("app").field("name", "Shop").field("version", "3.2." + (index % 3)).end();
                }
                case ANDROID -> {
                    c.object("device").field("type", "android").field("model", "Pixel " + (6 + index % 3)).end();
                    c.object("os").field("name", "Android").field("version", String.valueOf(12 + index % 3)).end();
                    c.object("app").field("name", "Shop").field("version", "3.2." + (index % 3)).end();
                }
                default -> throw new IllegalStateException("unknown platform " + p);
            }
            return c;
        }

        /** Knuth's multiplication method (TAOCP vol. 2, 3.4.1); fine for the small rates used here. */
        private int poisson(double lambda) {
            double limit = Math.exp(-lambda);
            double prod = r.nextDouble();
            int n = 0;
            while (prod > limit) {
                n++;
                prod *= r.nextDouble();
            }
            return n;
        }

        /** Failures before the first success with probability {@code p}, capped at {@code max}. */
        private int geometric(double p, int max) {
            int n = 0;
            while (n < max && r.nextDouble() >= p) {
                n++;
            }
            return n;
        }
    }

    private static List<Product> products() {
        List<Product> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(42); // the catalogue is fixed, independent of the seed
        for (int i = 0; i < 40; i++) {
            String category = CATEGORIES[i % CATEGORIES.length];
            out.add(new Product("p-" + (100 + i), category + " item " + i, category, 999 + 100L * r.nextInt(190)));
        }
        return List.copyOf(out);
    }
}
