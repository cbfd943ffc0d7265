package io.mnisttf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mnisttf.serve.ModelServer;
import io.mnisttf.serve.ServeConfig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;

/**
 * The serve page in a real headless browser (Debian's Chromium through Debian's chromedriver): digits drawn on
 * the canvas with the pointer are classified through the REST API by a model trained by the tool. Skipped, saying
 * so, where Chromium or chromedriver is not installed ({@code apt-get install chromium chromium-driver}).
 */
@ExtendWith(TrainedExport.class)
class ServePageBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** Waits in the page, without polling, until the prediction of the current drawing is shown. */
  private static final String AWAIT_PREDICTION = """
      const done = arguments[arguments.length - 1];
      const body = document.body;
      const settled = () => body.dataset.ready === 'error'
          || (body.dataset.ready === 'true' && body.dataset.predicted === body.dataset.drawn);
      if (settled()) { done(body.dataset.ready); return; }
      new MutationObserver((changes, observer) => {
        if (settled()) { observer.disconnect(); done(body.dataset.ready); }
      }).observe(body, { attributes: true });
      """;

  @Test
  void drawingADigitShowsItClassified(TrainedExport.Model model, @TempDir Path profile) throws Exception {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      String why = "skipped: the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
          + " (apt-get install chromium chromium-driver)";
      System.err.println(why);
      Assumptions.abort(why);
    }
    Path base = model.dir().getParent();
    try (ModelServer server = ModelServer.start(ServeConfig.defaults(base).withName("mnist")
        .withAddress("127.0.0.1", 0), line -> { }, line -> { })) {
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--user-data-dir=" + profile, "--window-size=1000,800"));
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
      ChromeDriver browser = new ChromeDriver(service, options);
      try {
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        browser.get(server.uri().toString());
        assertEquals("true", await(browser), browser.findElement(By.id("model")).getText());
        assertTrue(browser.findElement(By.id("model")).getText().startsWith("Model mnist, version "
            + model.dir().getFileName() + ": input images DT_FLOAT [-1,28,28] -> output probabilities"));
        WebElement pad = browser.findElement(By.id("pad"));

        stroke(browser, pad, new int[][] {{0, -95}, {0, 95}}); // a one: one vertical stroke
        assertEquals("true", await(browser));
        assertEquals("1", browser.findElement(By.id("top")).getText(), classes(browser));
        assertEquals("", browser.findElement(By.id("status")).getText());
        assertTrue(nonBlank28x28(browser), "the 28x28 view shows the digit");

        browser.findElement(By.id("clear")).click();
        int[][] ring = new int[17][];
        for (int i = 0; i < ring.length; i++) {
          double a = 2 * Math.PI * i / (ring.length - 1);
          ring[i] = new int[] {(int) Math.round(55 * Math.sin(a)), (int) Math.round(-85 * Math.cos(a))};
        }
        stroke(browser, pad, ring); // a zero: one oval stroke
        assertEquals("true", await(browser));
        assertEquals("0", browser.findElement(By.id("top")).getText(), classes(browser));
      } finally {
        browser.quit();
      }
    }
  }

  private static String await(ChromeDriver browser) {
    return (String) ((JavascriptExecutor) browser).executeAsyncScript(AWAIT_PREDICTION);
  }

  private static String classes(ChromeDriver browser) {
    return browser.findElement(By.id("classes")).getText();
  }

  /** Draws one stroke through {@code points}, offsets in pixels from the pad's centre. */
  private static void stroke(ChromeDriver browser, WebElement pad, int[][] points) {
    Actions a = new Actions(browser, Duration.ofMillis(5)).moveToElement(pad, points[0][0], points[0][1])
        .clickAndHold();
    for (int i = 1; i < points.length; i++) {
      int steps = 3;
      for (int s = 1; s <= steps; s++) {
        a.moveToElement(pad, points[i - 1][0] + (points[i][0] - points[i - 1][0]) * s / steps,
            points[i - 1][1] + (points[i][1] - points[i - 1][1]) * s / steps);
      }
    }
    a.release().perform();
  }

  private static boolean nonBlank28x28(ChromeDriver browser) {
    Object lit = ((JavascriptExecutor) browser).executeScript(
        "const d = document.getElementById('view28').getContext('2d').getImageData(0, 0, 28, 28).data;"
            + " let n = 0; for (let i = 0; i < d.length; i += 4) { if (d[i] > 128) n++; } return n;");
    return ((Number) lit).intValue() > 20;
  }
}
