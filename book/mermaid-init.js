// Turns ```mermaid code blocks into diagrams (mdBook renders them as <code class="language-mermaid">).
(function () {
    if (typeof mermaid === "undefined") { return; }
    document.querySelectorAll("code.language-mermaid").forEach(function (code) {
        var pre = code.parentElement;
        var div = document.createElement("div");
        div.className = "mermaid";
        div.textContent = code.textContent;
        pre.replaceWith(div);
    });
    mermaid.initialize({ startOnLoad: true, theme: "neutral" });
})();
