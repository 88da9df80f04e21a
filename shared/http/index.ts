export * from './server.ts';
export * from './lifecycle.ts';
export { externalUrl, parseWebConfig, type WebConfig } from './web-config.ts';
export {
  HttpClient,
  parseHttpClientConfig,
  requestErrorMessage,
  type HttpClientConfig,
  type ClientResponse,
} from './client.ts';
export { mountUi } from './ui.ts';
export { UI_NAV, uiPaths, type UiTier } from './ui-pages.ts';
export { apiError, apiErrorBody, apiErrorResponse, type ApiErrorType } from './api-error.ts';
