/**
 * The event/property registry and its enforcement.
 *
 * <p>Documents: {@link io.beacon.control.registry.EventDefinition} ({@code event/<project>/<name>})
 * and {@link io.beacon.control.registry.PropertyDefinition} ({@code property/<project>/<name>}),
 * validated by {@link io.beacon.control.registry.DefinitionRules}.
 *
 * <p>Pure enforcement, for the topology and the validate endpoint:
 * {@link io.beacon.control.registry.EventValidator#validate} (verdict, violations with stable
 * {@link io.beacon.control.registry.ViolationCode}s, coerced properties; coercion rules in
 * {@link io.beacon.control.registry.TypeCoercion}) then
 * {@link io.beacon.control.registry.PiiTransformer#apply} (mask, keyed hash, drop).
 * {@link io.beacon.control.registry.RegistryCatalog} keeps a {@link io.beacon.control.registry.RegistryView}
 * per project current from the config store; {@link io.beacon.control.registry.EventEnforcer}
 * combines both steps per project.
 */
package io.beacon.control.registry;
