// Start the GOV.UK Frontend components (skip link focus, service navigation menu).
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
