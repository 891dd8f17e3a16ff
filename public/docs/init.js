// Starts Swagger UI on /docs against this deployment's OpenAPI document. Kept out of index.html so the
// page works under a CSP without 'unsafe-inline' scripts. validatorUrl: null stops Swagger UI from
// sending the document to validator.swagger.io: the page makes no request outside this origin.
document.body.style.margin = "0";
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  plugins: [SwaggerUIBundle.plugins.DownloadUrl],
  layout: "StandaloneLayout",
});
