// What the rest of Verity reads from the voice-biometrics engine (see README.md in this folder): its
// limits and defaults, for the API's schemas and documentation. Code inside the engine and the factor
// (../voiceprint-factor/) imports the module files directly.
export { MAX_AUDIO_SECONDS } from './audio/audio.ts';
export { DEFAULT_THRESHOLD, ENGINE_DEFAULTS } from './voiceprint-engine.ts';
