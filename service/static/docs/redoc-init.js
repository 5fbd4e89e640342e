// Starts ReDoc on /redoc, from a file of its own for the same reason as swagger-init.js.
(function () {
  "use strict";
  var tag = document.currentScript;
  window.Redoc.init(tag.dataset.openapiUrl, {}, document.getElementById(tag.dataset.root));
})();
