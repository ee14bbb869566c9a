package org.hubsso.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hubsso.RequiredParts;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Headless Chromium for browser tests: the Debian {@code chromium} and {@code chromium-driver} packages only. */
final class Browsers {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Browsers() {
    }

    /**
     * Skips the calling test when Chromium or its driver is not installed, except on CI ({@code CI=true}), where
     * browser tests must run, so it fails instead.
     */
    static void requireChromium() {
        List<Path> missing = List.of(CHROMIUM, CHROMEDRIVER).stream().filter(p -> !Files.isExecutable(p)).toList();
        RequiredParts.require(missing.isEmpty(), "Chromium for the browser tests (missing " + missing + ")",
                "install it with 'apt-get install chromium chromium-driver'");
    }

    /**
     * Starts headless Chromium with a fresh profile in a new directory under {@code target/}. Both binaries are
     * given explicitly, so Selenium Manager (which would go to the network to find or download them) never runs.
     * The flags switch off Chromium's own background traffic; the host resolver rule makes any name other than
     * localhost and 127.0.0.1 unresolvable (Chromium applies the rules to IP literals too, and WildFly's Arquillian
     * adapter gives 127.0.0.1 where Payara's gives localhost), so the browser can only reach loopback.
     */
    static ChromeDriver startChromium() {
        requireChromium();
        Path profile;
        try {
            profile = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "chromium-profile-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Second guard: Selenium's driver lookup checks this property before falling back to Selenium Manager.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-domain-reliability", "--no-proxy-server",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1", "--window-size=1280,900",
                "--user-data-dir=" + profile.toAbsolutePath());
        return new ChromeDriver(service, options);
    }

    static final Path SCREENSHOTS = Path.of("target", "screenshots"); // failsafe runs in the project directory

    /** Absolute URL of a path inside the deployment, e.g. {@code acme/tiny-bert}. */
    static String url(java.net.URL base, String path) {
        return base.toString().replaceAll("/$", "") + "/" + path;
    }

    /** Signs in through the hub's sign-in form and waits for a signed-in page. */
    static void signIn(ChromeDriver driver, org.openqa.selenium.support.ui.WebDriverWait wait, java.net.URL base,
            String login, String password) {
        driver.get(url(base, "login"));
        wait.until(org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated(
                org.openqa.selenium.By.id("login:login"))).sendKeys(login);
        driver.findElement(org.openqa.selenium.By.id("login:password")).sendKeys(password);
        driver.findElement(org.openqa.selenium.By.id("login:submit")).click();
        // Only signed-in pages carry the sign-out link in the header.
        wait.until(org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated(
                org.openqa.selenium.By.id("nav-logout")));
    }

    static void screenshot(ChromeDriver driver, String fileName) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(fileName),
                    driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
