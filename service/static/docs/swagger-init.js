// Starts Swagger UI on /docs. A file of its own (not an inline script) so that the page's
// Content-Security-Policy can keep script-src 'self'. The OpenAPI URL comes from the tag.
(function () {
  "use strict";
  var tag = document.currentScript;
  window.ui = window.SwaggerUIBundle({
    url: tag.dataset.openapiUrl,
    dom_id: "#" + tag.dataset.root,
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null, // the default sends the schema to validator.swagger.io
    presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
})();
