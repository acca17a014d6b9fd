/**
 * The application's name as Electron knows it. The OS keyring item that
 * holds the safe-storage password is named after it, so the CLI must use
 * the same name to open what the app sealed.
 */
export const APP_NAME = 'Dagdesk';
