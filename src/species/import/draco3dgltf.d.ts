/** The Draco glTF decoder ships without type declarations; only what the importer uses. */
declare module 'draco3dgltf' {
  const draco3d: {
    createDecoderModule(options?: Record<string, unknown>): Promise<unknown>;
    createEncoderModule(options?: Record<string, unknown>): Promise<unknown>;
  };
  export default draco3d;
}
