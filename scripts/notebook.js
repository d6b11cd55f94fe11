#!/usr/bin/env node
'use strict';
/**
 * Tiny helper to write a notebook from a list of cells, so notebooks can be kept as readable source:
 *   const { writeNotebook, md, code, params } = require('./notebook');
 *   writeNotebook('notebooks/x.ipynb', [md('# Title'), params('let k = 4;'), code('...')]);
 */
const fs = require('node:fs');

const lines = (s) => {
  const parts = s.replace(/^\n/, '').replace(/\n$/, '').split('\n');
  return parts.map((l, i) => (i < parts.length - 1 ? l + '\n' : l));
};
let n = 0;
const id = () => `cell-${String(++n).padStart(3, '0')}`;
const md = (s) => ({ cell_type: 'markdown', id: id(), metadata: {}, source: lines(s) });
const code = (s, tags) => ({
  cell_type: 'code',
  id: id(),
  metadata: tags ? { tags } : {},
  execution_count: null,
  outputs: [],
  source: lines(s),
});
const params = (s) => code(s, ['parameters']);

function writeNotebook(file, cells) {
  n = 0;
  const nb = {
    cells: cells.map((c) => ({ ...c, id: id() })),
    metadata: {
      kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' },
      language_info: { name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  fs.writeFileSync(file, JSON.stringify(nb, null, 1) + '\n');
}

module.exports = { writeNotebook, md, code, params };
