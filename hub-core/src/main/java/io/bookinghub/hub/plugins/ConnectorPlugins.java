package io.bookinghub.hub.plugins;

import static java.util.Objects.requireNonNull;

import io.bookinghub.spi.BookingConnectorFactory;
import io.bookinghub.spi.ConnectorDescriptor;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads connector plugins from the plugins folder with PF4J in deployment mode. A plugin that fails
 * (bad zip, bad descriptor, failing factory, duplicate connector id) is logged with the reason and
 * reported; the others still load and the hub starts.
 */
public final class ConnectorPlugins implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorPlugins.class);

    private final Path directory;
    private PluginManager pluginManager;
    private volatile Map<String, InstalledConnector> connectors = Map.of();
    private volatile List<PluginProblem> problems = List.of();

    public ConnectorPlugins(Path directory) {
        this.directory = requireNonNull(directory, "directory is null").toAbsolutePath();
    }

    /** Loads now (not lazily in start()) so the application can wire routes knowing the connectors. */
    public synchronized void load() {
        if (pluginManager != null) {
            return;
        }
        List<PluginProblem> found = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            LOG.warn("Plugins folder {} does not exist: no connectors loaded", directory);
            pluginManager = new DeploymentPluginManager(directory);
            problems = List.of();
            return;
        }
        pluginManager = new DeploymentPluginManager(directory);
        pluginManager.loadPlugins();
        pluginManager.startPlugins();

        Map<String, List<InstalledConnector>> byId = new TreeMap<>();
        Set<Path> accounted = new HashSet<>();
        List<PluginWrapper> plugins = new ArrayList<>(pluginManager.getPlugins());
        plugins.sort(Comparator.comparing(PluginWrapper::getPluginId));
        for (PluginWrapper plugin : plugins) {
            accounted.add(plugin.getPluginPath().toAbsolutePath().normalize());
            String pluginId = plugin.getPluginId();
            if (plugin.getPluginState() != PluginState.STARTED) {
                Throwable failure = plugin.getFailedException();
                found.add(new PluginProblem(pluginId, "plugin is " + plugin.getPluginState()
                        + (failure == null ? "" : ": " + describe(failure))));
                continue;
            }
            List<BookingConnectorFactory> factories;
            try {
                factories = pluginManager.getExtensions(BookingConnectorFactory.class, pluginId);
            } catch (RuntimeException | LinkageError e) {
                found.add(new PluginProblem(pluginId, "extensions failed to load: " + describe(e)));
                continue;
            }
            if (factories.isEmpty()) {
                found.add(new PluginProblem(pluginId, "plugin provides no BookingConnectorFactory extension"));
            }
            for (BookingConnectorFactory factory : factories) {
                try {
                    ConnectorDescriptor descriptor = requireNonNull(factory.descriptor(), "descriptor() returned null");
                    byId.computeIfAbsent(descriptor.id(), k -> new ArrayList<>()).add(new InstalledConnector(pluginId,
                            plugin.getDescriptor().getVersion(), descriptor, factory));
                } catch (RuntimeException | LinkageError e) {
                    found.add(new PluginProblem(pluginId, "invalid connector descriptor: " + describe(e)));
                }
            }
        }
        Map<String, InstalledConnector> loaded = new LinkedHashMap<>();
        byId.forEach((id, candidates) -> {
            if (candidates.size() == 1) {
                loaded.put(id, candidates.get(0));
            } else {
                List<String> owners = candidates.stream().map(InstalledConnector::pluginId).toList();
                // Neither wins: silently picking one would route a business's data to the wrong code.
                for (String owner : owners) {
                    found.add(new PluginProblem(owner, "connector id '" + id + "' is provided by several plugins "
                            + owners + "; none of them is loaded until only one remains"));
                }
            }
        });
        found.addAll(unloadableFiles(accounted));
        connectors = Map.copyOf(loaded);
        problems = List.copyOf(found);
        loaded.values().forEach(c -> LOG.info("Connector '{}' {} loaded from plugin {}", c.descriptor().id(),
                c.descriptor().version(), c.pluginId()));
        found.forEach(p -> LOG.error("Plugin {} not loaded: {}", p.plugin(), p.reason()));
    }

    // PF4J logs and skips plugin files it cannot read at all; they would otherwise vanish without a trace.
    private List<PluginProblem> unloadableFiles(Set<Path> accounted) {
        List<PluginProblem> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                String name = file.getFileName().toString();
                if (name.startsWith(".") || name.equals("disabled.txt") || name.equals("enabled.txt")) {
                    continue;
                }
                Path normalized = file.toAbsolutePath().normalize();
                Path expanded = name.endsWith(".zip")
                        ? normalized.resolveSibling(name.substring(0, name.length() - 4)) : normalized;
                if (accounted.contains(normalized) || accounted.contains(expanded)) {
                    continue;
                }
                if (name.endsWith(".zip") || name.endsWith(".jar")) {
                    out.add(new PluginProblem(name, "not a loadable PF4J plugin (see the log for the cause)"));
                } else if (Files.isDirectory(file) && !Files.exists(file.resolveSibling(name + ".zip"))) {
                    out.add(new PluginProblem(name, "not a loadable PF4J plugin (see the log for the cause)"));
                }
            }
        } catch (IOException e) {
            out.add(new PluginProblem(directory.toString(), "cannot list plugins folder: " + e.getMessage()));
        }
        return out;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    public Optional<InstalledConnector> find(String connectorId) {
        return Optional.ofNullable(connectors.get(connectorId));
    }

    public Collection<InstalledConnector> connectors() {
        return connectors.values().stream().sorted(Comparator.comparing(c -> c.descriptor().id())).toList();
    }

    public List<PluginProblem> problems() {
        return problems;
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void start() {
        load();
    }

    @Override
    public synchronized void stop() {
        if (pluginManager == null) {
            return;
        }
        // One by one: PF4J 3.15's stopPlugins() modifies the list it iterates over.
        List<String> ids = pluginManager.getPlugins().stream().map(PluginWrapper::getPluginId).toList();
        for (String id : ids) {
            try {
                pluginManager.unloadPlugin(id);
            } catch (RuntimeException e) {
                LOG.warn("Plugin {} did not unload cleanly: {}", id, e.toString());
            }
        }
    }

    /** Always deployment mode: the hub never reads plugin classes from source folders. */
    private static final class DeploymentPluginManager extends DefaultPluginManager {
        DeploymentPluginManager(Path root) {
            super(root);
        }

        @Override
        public RuntimeMode getRuntimeMode() {
            return RuntimeMode.DEPLOYMENT;
        }
    }
}
