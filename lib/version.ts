/** The scanner version findings carry (ProductFields); a test keeps it equal to package.json's. */
export const SCANNER_VERSION = '0.1.0';
