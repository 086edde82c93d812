/**
 * Per-user state of the actor engine, pure Java: {@link io.beacon.engine.state.UserState} (what an
 * entity owns), the bucketed windows ({@link io.beacon.engine.state.WindowSpec},
 * {@link io.beacon.engine.state.WindowedCounter}, {@link io.beacon.engine.state.WindowedSum}), the
 * binary {@link io.beacon.engine.state.UserStateCodec}, the profile answer
 * ({@link io.beacon.engine.state.ProfileView}, {@link io.beacon.engine.state.ProfileJson}) and
 * {@link io.beacon.engine.state.EngineSettings}. No actors, Kafka or RocksDB here.
 */
package io.beacon.engine.state;
