import packageJson from '../../package.json';

/** The one version string the app, the CLI and `/health` report. */
export const APP_VERSION: string = packageJson.version;
export const APP_NAME: string = packageJson.productName;
