/** The published npm `authy` client (1.4.0) ships no types; test/integration/authy.test.ts types the calls it makes. */
declare module 'authy' {
  const authy: (apiKey: string, apiUrl?: string) => unknown;
  export default authy;
}
