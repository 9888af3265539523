// The /docs page of serve mode: Swagger UI (swagger-ui-dist, copied into dist by the build) over /openapi.json,
// with the server's bearer token taken from the page URL the way the web UI takes it.
import { takeTokenFromLocation } from '../bridge/location-token';

interface SwaggerUi {
  preauthorizeApiKey(scheme: string, value: string): void;
}
interface SwaggerOptions {
  url: string;
  dom_id: string;
  /** null: no badge fetched from validator.swagger.io; the page makes no request off this server. */
  validatorUrl: null;
  deepLinking: boolean;
  tryItOutEnabled: boolean;
  /** false: the token stays out of localStorage. */
  persistAuthorization: boolean;
  onComplete: () => void;
}
declare const SwaggerUIBundle: (options: SwaggerOptions) => SwaggerUi;

const token = takeTokenFromLocation();
document.getElementById('token-note')!.hidden = token !== null;
const ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  validatorUrl: null,
  deepLinking: false,
  tryItOutEnabled: false,
  persistAuthorization: false,
  // `bearer` is the security scheme's name in /openapi.json.
  onComplete: () => {
    if (token) ui.preauthorizeApiKey('bearer', token);
  },
});
