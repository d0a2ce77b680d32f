// Turns ```mermaid code blocks into diagrams (mdBook renders them as <code class="language-mermaid">).
// The renderer, mermaid.min.js, is not in the repository: .ci/book copies it from the npm package
// into book/src/ before building. It is loaded here only if present, so a plain `mdbook build book`
// works and shows the diagrams as their source text.
(function () {
    var blocks = document.querySelectorAll("code.language-mermaid");
    if (blocks.length === 0) { return; }
    var script = document.createElement("script");
    script.src = (typeof path_to_root === "string" ? path_to_root : "") + "mermaid.min.js";
    script.onload = function () {
        if (typeof mermaid === "undefined") { return; }
        blocks.forEach(function (code) {
            var div = document.createElement("div");
            div.className = "mermaid";
            div.textContent = code.textContent;
            code.parentElement.replaceWith(div);
        });
        mermaid.initialize({ startOnLoad: false, theme: "neutral" });
        mermaid.run({ querySelector: "div.mermaid" });
    };
    document.head.appendChild(script);
})();
