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
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads connector plugins from the plugins folder with PF4J in deployment mode. A plugin that fails
 * (bad zip, bad descriptor, failing factory, duplicate connector id, a {@code plugin.requires} range the
 * hub's SPI version does not satisfy, no extension at all, a {@code plugin.id} that is not its connector's id)
 * is logged with the reason and reported; the others still load and the hub starts.
 *
 * <p>{@code plugin.version} is the version of the package (shown as {@code pluginVersion}, what an operator
 * upgrades) and is not compared with the descriptor's {@code version}, the connector's own: a SNAPSHOT build of an
 * unchanged connector is still that connector.
 */
public final class ConnectorPlugins implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorPlugins.class);
    /** Why a plugin with no connector factory was refused: nearly always a build without the annotation processor. */
    public static final String NO_EXTENSIONS = "plugin provides no BookingConnectorFactory extension: its "
            + "classes/META-INF/extensions.idx is missing or empty. Compile with pf4j's annotation processor declared "
            + "in maven-compiler-plugin's annotationProcessorPaths (JDK 23+ no longer runs processors found on the "
            + "class path) and mark the factory @Extension; the plugin was not loaded";
    /** PF4J's {@code requires} when a plugin declares none. */
    private static final String ANY_VERSION = "*";

    private final Path directory;
    private final String spiVersion;
    private DeploymentPluginManager pluginManager;
    private volatile Map<String, InstalledConnector> connectors = Map.of();
    private volatile List<PluginProblem> problems = List.of();

    /**
     * @param spiVersion the SPI version this hub provides ({@link io.bookinghub.spi.SpiVersion#CURRENT}),
     *                   checked against each plugin's {@code plugin.requires}
     */
    public ConnectorPlugins(Path directory, String spiVersion) {
        this.directory = requireNonNull(directory, "directory is null").toAbsolutePath();
        this.spiVersion = requireNonNull(spiVersion, "spiVersion is null");
    }

    /** Loads now (not lazily in start()) so the application can wire routes knowing the connectors. */
    public synchronized void load() {
        if (pluginManager != null) {
            return;
        }
        List<PluginProblem> found = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            LOG.warn("Plugins folder {} does not exist: no connectors loaded", directory);
            pluginManager = new DeploymentPluginManager(directory, spiVersion);
            problems = List.of();
            return;
        }
        pluginManager = new DeploymentPluginManager(directory, spiVersion);
        pluginManager.loadPlugins();
        pluginManager.startPlugins();

        Map<String, List<InstalledConnector>> byId = new TreeMap<>();
        Set<Path> accounted = new HashSet<>();
        List<PluginWrapper> plugins = new ArrayList<>(pluginManager.getPlugins());
        plugins.sort(Comparator.comparing(PluginWrapper::getPluginId));
        for (PluginWrapper plugin : plugins) {
            accounted.add(plugin.getPluginPath().toAbsolutePath().normalize());
            String pluginId = plugin.getPluginId();
            Optional<String> incompatible = pluginManager.incompatibility(pluginId);
            if (incompatible.isPresent()) {
                found.add(new PluginProblem(pluginId, incompatible.get()));
                continue;
            }
            if (plugin.getPluginState() != PluginState.STARTED) {
                Throwable failure = plugin.getFailedException();
                found.add(new PluginProblem(pluginId, "plugin is " + plugin.getPluginState()
                        + (failure == null ? "" : ": " + describe(failure))));
                continue;
            }
            if (ANY_VERSION.equals(plugin.getDescriptor().getRequires().trim())) {
                LOG.warn("Plugin {} does not declare the SPI versions it works with (plugin.requires, e.g. ^{}); "
                        + "loaded, but a hub with an incompatible SPI could not refuse it cleanly",
                        pluginId, spiVersion);
            }
            List<BookingConnectorFactory> factories;
            try {
                factories = pluginManager.getExtensions(BookingConnectorFactory.class, pluginId);
            } catch (RuntimeException | LinkageError e) {
                found.add(new PluginProblem(pluginId, "extensions failed to load: " + describe(e)));
                continue;
            }
            if (factories.isEmpty()) {
                // The usual cause is a build, not the code: javac on JDK 23+ no longer runs annotation processors
                // it merely finds on the class path, so pf4j's never writes the index and the plugin starts empty.
                found.add(new PluginProblem(pluginId, NO_EXTENSIONS));
            }
            for (BookingConnectorFactory factory : factories) {
                ConnectorDescriptor descriptor;
                try {
                    descriptor = requireNonNull(factory.descriptor(), "descriptor() returned null");
                } catch (RuntimeException | LinkageError e) {
                    found.add(new PluginProblem(pluginId, "invalid connector descriptor: " + describe(e)));
                    continue;
                }
                if (!descriptor.id().equals(pluginId)) {
                    // Operators upgrade and disable by plugin.id while connections store the connector id; two names
                    // for one thing would let an upgrade replace a different connector's code.
                    found.add(new PluginProblem(pluginId, "plugin.id '" + pluginId + "' (plugin.properties) differs "
                            + "from the connector id '" + descriptor.id() + "' of its descriptor; they must be equal; "
                            + "the plugin was not loaded"));
                    continue;
                }
                byId.computeIfAbsent(descriptor.id(), k -> new ArrayList<>()).add(new InstalledConnector(pluginId,
                        plugin.getDescriptor().getVersion(), descriptor, factory));
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

    /** The SPI version plugins are checked against. */
    public String spiVersion() {
        return spiVersion;
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

    /**
     * Always deployment mode: the hub never reads plugin classes from source folders. The system version is
     * the SPI version, so PF4J's own check of {@code plugin.requires} decides compatibility; PF4J then
     * leaves the plugin DISABLED (its plugin class is never instantiated, its extensions never loaded), and
     * this manager remembers why, which PF4J only logs.
     */
    private static final class DeploymentPluginManager extends DefaultPluginManager {
        private final Map<String, String> incompatible = new ConcurrentHashMap<>();

        DeploymentPluginManager(Path root, String spiVersion) {
            super(root);
            setSystemVersion(spiVersion);
        }

        Optional<String> incompatibility(String pluginId) {
            return Optional.ofNullable(incompatible.get(pluginId));
        }

        @Override
        protected boolean isPluginValid(PluginWrapper plugin) {
            String requires = plugin.getDescriptor().getRequires();
            try {
                if (super.isPluginValid(plugin)) {
                    return true;
                }
                incompatible.put(plugin.getPluginId(), "requires SPI version '" + requires
                        + "' (plugin.requires) but this hub provides SPI " + getSystemVersion()
                        + "; the plugin was not loaded");
            } catch (RuntimeException e) {
                // PF4J would fail the whole file with a parser error; name the field instead.
                incompatible.put(plugin.getPluginId(), "plugin.requires '" + requires
                        + "' is not a SemVer range (e.g. ^1.0 or >=1.0.0 & <2.0.0): " + describe(e)
                        + "; the plugin was not loaded");
            }
            return false;
        }

        @Override
        public RuntimeMode getRuntimeMode() {
            return RuntimeMode.DEPLOYMENT;
        }
    }
}
