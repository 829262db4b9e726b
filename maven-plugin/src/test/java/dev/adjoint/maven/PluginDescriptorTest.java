package dev.adjoint.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The descriptor maven-plugin-plugin generated from the mojo's annotations: the goal, its phase, and the
 * defaults that {@link GenerateMojoTest} and docs/build-integration.md assume.
 */
class PluginDescriptorTest {
    @Test
    void goalPhaseAndDefaults() throws Exception {
        Document plugin;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/maven/plugin.xml")) {
            assertNotNull(in, "no META-INF/maven/plugin.xml: the descriptor goal did not run");
            plugin = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
        assertEquals("adjoint", text(plugin.getDocumentElement(), "goalPrefix"));
        assertEquals("3.8.7", text(plugin.getDocumentElement(), "requiredMavenVersion"));
        Element mojo = (Element) plugin.getElementsByTagName("mojo").item(0);
        assertEquals("generate", text(mojo, "goal"));
        assertEquals("generate-sources", text(mojo, "phase"));
        assertEquals("true", text(mojo, "threadSafe"));

        Map<String, String> defaults = new TreeMap<>();
        NodeList config = ((Element) mojo.getElementsByTagName("configuration").item(0)).getChildNodes();
        for (int i = 0; i < config.getLength(); i++) {
            if (config.item(i) instanceof Element e) {
                defaults.put(e.getTagName(), e.getAttribute("default-value") + " | " + e.getTextContent());
            }
        }
        assertEquals(Map.ofEntries(
                Map.entry("checkpoint", "none | ${adjoint.checkpoint}"),
                Map.entry("execution", "${mojoExecution} | "),
                Map.entry("generateTests", "false | ${adjoint.generateTests}"),
                Map.entry("gradientStep", "6e-6 | ${adjoint.gradientStep}"),
                Map.entry("gradientTolerance", "1e-5 | ${adjoint.gradientTolerance}"),
                Map.entry("outputDirectory", "${project.build.directory}/generated-sources/adjoint | "),
                Map.entry("packageName", " | ${adjoint.packageName}"),
                Map.entry("planDims", " | ${adjoint.planDims}"),
                Map.entry("plugin", "${plugin} | "),
                Map.entry("project", "${project} | "),
                Map.entry("skip", "false | ${adjoint.skip}"),
                // Maven's own test switches: with tests skipped, the Surefire check is too
                Map.entry("skipTestCompile", "false | ${maven.test.skip}"),
                Map.entry("skipTests", "false | ${skipTests}"),
                Map.entry("sourceDirectory", "${project.basedir}/src/main/models | ${adjoint.sourceDirectory}"),
                Map.entry("testOutputDirectory", "${project.build.directory}/generated-test-sources/adjoint | ")),
                defaults);
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }
}
