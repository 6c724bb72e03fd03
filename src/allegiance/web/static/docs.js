// Starts Swagger UI on /docs from the package's own copy (fastapi-offline), no CDN and
// no inline script: the page's CSP allows scripts from this server only.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui",
                                deepLinking: true });
});
