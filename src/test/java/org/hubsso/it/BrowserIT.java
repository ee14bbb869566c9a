package org.hubsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.urlToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The built WAR on Payara Micro, driven by headless Chromium the way a user clicks through it. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BrowserIT {


    // The WAR as built, unchanged: the test only talks HTTP to it (testable = false adds no test archive).
    @Deployment(testable = false)
    static WebArchive deployment() {
        return HubFixtures.war();
    }

    @ArquillianResource
    URL base;

    ChromeDriver driver;
    WebDriverWait wait;

    @BeforeEach
    void startBrowser() {
        driver = Browsers.startChromium(); // skips, or fails on CI, when Chromium is not installed
        wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    @AfterEach
    void quitBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void adminCreatesAPublicModelAndSeesItListed() throws IOException {
        signIn(HubFixtures.ADMIN, HubFixtures.ADMIN_PASSWORD);

        String name = "browser-" + UUID.randomUUID().toString().substring(0, 8);
        String readme = "# " + name + "\nCreated by BrowserIT through the form.";
        driver.get(url("new?org=acme"));
        WebElement form = wait.until(visibilityOfElementLocated(By.id("repo")));
        assertEquals("acme", new Select(form.findElement(By.id("repo:org"))).getFirstSelectedOption().getText());
        // Faces renders each radio as <input name="repo:kind" value="model" id="repo:kind:0">: pick by value.
        form.findElement(By.cssSelector("input[name='repo:kind'][value='model']")).click();
        form.findElement(By.id("repo:name")).sendKeys(name);
        form.findElement(By.cssSelector("input[name='repo:visibility'][value='public']")).click();
        form.findElement(By.id("repo:readme")).sendKeys(readme);
        form.findElement(By.id("repo:submit")).click();

        // Post-redirect-get to the new repository's page.
        wait.until(urlToBe(url("acme/" + name)));
        WebElement shown = wait.until(visibilityOfElementLocated(By.id("readme")));
        assertEquals(readme, shown.getText());
        assertEquals("public", driver.findElement(By.id("visibility")).getText());
        assertTrue(driver.findElement(By.id("repo-title")).getText().endsWith("/ " + name),
                driver.findElement(By.id("repo-title")).getText());
        screenshot("repo-page.png");

        driver.get(url("acme"));
        WebElement repos = wait.until(presenceOfElementLocated(By.cssSelector("ul#repos")));
        List<String> listed = repos.findElements(By.cssSelector("a.repo-link")).stream().map(WebElement::getText).toList();
        assertTrue(listed.contains("acme/" + name), "listed: " + listed);
        assertEquals("admin", driver.findElement(By.id("my-role")).getText(), "still signed in as acme's admin");
        screenshot("org-page.png");
    }

    private void signIn(String login, String password) {
        Browsers.signIn(driver, wait, base, login, password);
    }

    private String url(String path) {
        return Browsers.url(base, path);
    }

    private void screenshot(String fileName) {
        Browsers.screenshot(driver, fileName);
    }
}
