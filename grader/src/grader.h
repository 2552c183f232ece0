/*
 * grader.h: the kit's grader. One program, two commands:
 *   grader grade --lab L [--submission DIR] [--out DIR]   (make grade)
 *   grader dist  --lab L --dest DIR [--with-solution] [--base DIR]  (make dist)
 * Files by concept: manifest.c (labs/L.manifest), regions.c (solution
 * regions, starter text), labs.c (which lab a region belongs to, what
 * each lab's trees hold of it), tree.c (file lists, copies, temporary trees),
 * build.c (private build tree, make), run.c (one test per process group),
 * sandbox.c (namespaces and limits for student code), vm.c (a lab's
 * tests in a throwaway VM), calls.c (what a student object may call),
 * env.c (the environment student code gets),
 * report.c (table, Gradescope JSON, JUnit XML), dist.c, main.c.
 */
#ifndef GRADER_H
#define GRADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* ---- manifest.c: common/README.md, "Manifests" ---- */
enum visibility { VIS_VISIBLE, VIS_HIDDEN, VIS_AFTER_DUE_DATE, VIS_AFTER_PUBLISHED };

struct mtest {
	char *bin;          /* under build/, e.g. lab01/tests/unit_decode */
	char *suite, *name; /* Criterion suite and test */
	char *id;           /* "suite::name" */
	int points;
	int seconds;        /* wall-clock limit */
	enum visibility vis;
	bool free;          /* needs no student code */
	int line;
};

struct manifest {
	char *path;         /* as given, for file:line messages */
	char *lab, *dir, *title, *handout;
	char **student;     /* kit-relative paths a submission provides */
	int nstudent;
	char **private_files; /* kit files dist leaves out (hidden tests' sources) */
	int nprivate;
	char **uses;        /* `uses <dir>`: other labs' directories this lab builds on */
	int nuses;
	char **prebuilt;    /* `prebuilt <build/...>`: the kit's own build products, copied */
	int nprebuilt;
	int timeout;        /* default per-test limit, seconds */
	int build_timeout;  /* seconds for `make <lab>-tests` */
	struct mtest *tests;
	int ntests;
	/* sandbox and limits (grader/README.md, "Sandbox and limits") */
	bool privileged;    /* `sandbox privileged`: tests run as real root */
	bool vm;            /* `sandbox vm`: tests run as root in a throwaway VM (vm.c) */
	int memory_mb;      /* address space per process */
	int processes;      /* processes and threads per test */
	int file_size_mb;   /* largest file a test may write */
	int output_kb;      /* stdout + stderr per test */
	char **calls;       /* `student-calls`: what student objects may call */
	int ncalls;
	bool check_calls;   /* a student-calls line was given */
};

/* Parses and checks path against the kit at kit_root; prints one
 * "file:line: error" per problem to stderr; returns the number of errors. */
int manifest_load(const char *path, const char *kit_root, struct manifest *m);
void manifest_free(struct manifest *m);
const char *visibility_name(enum visibility v);
int manifest_free_points(const struct manifest *m);
int manifest_total_points(const struct manifest *m);
/* The manifest's text as dist writes it: no hidden tests, no private lines. */
char *manifest_public_text(const char *path);

/* ---- regions.c: common/README.md, "Solution regions" ---- */
struct region_line {
	int line;           /* 1-based, in the source */
	char *text;         /* trimmed solution line */
	bool solved;        /* its region was written solved (not a secret) */
};

struct regions {
	int count;              /* number of regions */
	int nsolved;            /* of which written solved */
	char *out;              /* transformed text */
	size_t out_len;
	struct region_line *sol; /* solution lines (for the leak check) */
	int nsol;
	char **outside;         /* trimmed lines outside regions (incl. starter) */
	int noutside;
};

/* The comment leader for a file name ("//", "#"), or NULL when the kit
 * never marks regions in such a file (documentation, data). */
const char *region_leader(const char *path);
/* Transforms text: keep=false writes the starter, keep=true keeps the
 * file unchanged but still validates. Returns 0, or -1 after printing
 * "name:line: error" to stderr. */
int regions_process(const char *name, const char *text, size_t len, bool keep, struct regions *r);
/* The longest lab name a BEGIN line may give, plus one. */
#define REGION_TAG_MAX 64
/* What becomes of one region: its starter, or solved (the solution kept,
 * the markers and starter removed); REGION_REFUSED after the fate function
 * printed "name:line: why". tag: the lab the BEGIN line names, or NULL. */
enum region_fate { REGION_STARTER, REGION_SOLVED, REGION_REFUSED };
typedef enum region_fate (*region_fate_fn)(const char *name, int line, const char *tag, void *ctx);
/* regions_process with each region's fate chosen by fate(ctx) (NULL: every
 * region its starter); keep=true still asks it, to validate the tags. */
int regions_process_fate(const char *name, const char *text, size_t len, bool keep, region_fate_fn fate, void *ctx,
			 struct regions *r);
void regions_free(struct regions *r);
/* true if the line is a marker line for that leader */
bool region_is_marker(const char *line, size_t len, const char *leader);

/* ---- tree.c ---- */
struct filelist {
	char **v;
	int n, cap;
};
void filelist_add(struct filelist *l, const char *s);
void filelist_free(struct filelist *l);
bool filelist_has(const struct filelist *l, const char *s);
/* The kit's own files, relative: git's (tracked and untracked, not
 * ignored) in a checkout, else everything but build/ and .git/. */
int kit_files(const char *root, struct filelist *out);
char *read_file(const char *path, size_t *len);     /* NULL on error */
int write_file(const char *path, const char *data, size_t len, int mode);
int copy_file(const char *src, const char *dst);    /* keeps the x bit */
int mkdirs_for(const char *path);                   /* parents of path */
int remove_tree(const char *path);
bool is_regular(const char *path);                  /* not following links */
bool dir_is_empty_or_absent(const char *path, bool *exists);
/* The largest student file the grader reads (and dist takes from BASE). */
#define STUDENT_FILE_MAX (1 << 20)
/* File rel under root, a regular file with no symbolic link on any
 * component of its path, at most STUDENT_FILE_MAX bytes; NULL on failure,
 * *kind: 0 absent, 1 too large, 2 not a regular file or a link on its path. */
char *read_beneath(const char *root, const char *rel, size_t *len, int *kind);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *xrealloc(void *p, size_t n);

/* ---- run.c ---- */
enum status { ST_PASSED, ST_FAILED, ST_NOT_RUN };
struct result {
	enum status status;
	int score;
	char *message;      /* why it failed, for the report (may be long) */
	char *description;  /* the test's .description, or NULL */
	double seconds;
};
/* Runs every test of m in tree (in parallel, `jobs` at a time). */
void run_tests(const struct manifest *m, const char *tree, const char *scratch,
	       const bool *skip, const char *skip_reason, struct result *res, int jobs);
/* Criterion's TAP line for test id: 1 ok, 0 not ok (the reason appended
 * to *msg), -1 absent or skipped. */
int tap_verdict(const char *tap, const char *id, const char *description, char **msg);
/* Seconds a test may run on after its END line before its first run counts
 * as hung and it is run once more (run.c, POST_END_GRACE). */
int post_end_grace(int seconds);
/* a failure message's length in the report, beyond which it is cut */
#define MESSAGE_MAX 2000
/* A fresh random END-line nonce: 32 hex digits. */
void make_nonce(char out[33]);
/* ---- vm.c: the tests of a `sandbox vm` lab, in a throwaway VM ---- */
void run_tests_vm(const struct manifest *m, const char *kit, const char *tree, const char *scratch, const bool *skip,
		  const char *skip_reason, struct result *res, int jobs);
/* Registry of process groups to kill on SIGINT/SIGTERM. */
/* fork(2) with the child registered at once (run.c: no sweep can take it for an orphan). */
pid_t children_fork(void);
void children_remove(int pgid);
void children_kill_all(void);
extern volatile int grader_interrupted;
/* The grader adopts orphans (child subreaper) and kills them after each test. */
void orphans_adopt(void);
int orphans_kill(void);

/* ---- sandbox.c: grader/README.md, "Sandbox and limits" ---- */
enum sandbox_mode { SB_NONE, SB_ISOLATED, SB_PRIVILEGED };
#define SANDBOX_MAX_HIDE 64
/* exit status of a child whose sandbox could not be set up */
#define SANDBOX_FAILED 125
struct sandbox {
	enum sandbox_mode mode;
	const char *tree;   /* mounted at the same path; read-only unless tree_rw */
	bool tree_rw;
	const char *scratch; /* writable, or NULL */
	const char *hide[SANDBOX_MAX_HIDE]; /* covered by an empty tmpfs; [0] is the kit */
	bool hide_rw[SANDBOX_MAX_HIDE];
	int nhide;
	char uid_map[64], gid_map[64];
	int cpu_s;
	long mem_mb, procs, fsize_mb;
};
/* Once, before anything runs: can this machine isolate (user namespaces)? */
enum sandbox_mode sandbox_probe(const char **why);
const char *sandbox_mode_name(enum sandbox_mode m);
/* In the parent: fills s (hide: NULL-terminated, the kit first). */
void sandbox_prepare(struct sandbox *s, const struct manifest *m, const char *tree, bool tree_rw,
		     const char *scratch, const char *const *hide, int cpu_s);
/* In a forked child: returns 0 in the process that must exec (its cwd is
 * the tree); exits with SANDBOX_FAILED and a message on stderr on failure. */
int sandbox_enter(const struct sandbox *s);
/* The directories every sandbox hides (the kit, reports, submissions). */
extern const char *grader_hide[SANDBOX_MAX_HIDE];

/* ---- env.c: the fixed environment of every command run for a submission ---- */
/* PATH, HOME, TMPDIR, LANG and the extra "NAME=value" strings (NULL-terminated),
 * nothing of the grader's own environment. Free with env_free. */
char **env_fixed(const char *home, const char *tmpdir, const char *const *extra);
void env_free(char **env);

/* ---- calls.c: what student objects may call (manifest student-calls) ---- */
/* Returns NULL if the object at path is acceptable, else why not (malloc'd). */
char *calls_check(const struct manifest *m, const char *tree, const char *obj);

/* ---- build.c ---- */
struct build {
	bool ok;
	char *log_excerpt;  /* the compiler's error lines */
	char *notes;        /* absent student files, ... */
};
int tree_assemble(const struct manifest *m, const char *kit, const char *submission,
		  const char *tree, struct build *b);
/* Kit file rel as the lab's grading tree holds it before the submission's
 * files (a used lab's regions solved, the others' starters); NULL on error. */
char *tree_version(const struct manifest *m, const char *kit, const char *rel, size_t *len);
int tree_build(const struct manifest *m, const char *tree, const char *log, int jobs, struct build *b);
/* Lists the tests of every binary; prints a file:line error for a missing
 * binary (only when the build succeeded) or an unlisted test. */
int tree_check_tests(const struct manifest *m, const char *tree, bool build_ok);
/* Looks up KIT_TEST descriptions in the kit's C sources. */
char *find_description(const struct filelist *files, const char *root, const char *bin, const char *suite,
		       const char *name);

/* ---- report.c ---- */
void json_escape(FILE *f, const char *s);
void xml_escape(FILE *f, const char *s);
void report_table(FILE *f, const struct manifest *m, const struct result *r, const struct build *b);
int report_json(const char *path, const struct manifest *m, const struct result *r,
		const struct build *b, double seconds);
int report_junit(const char *path, const struct manifest *m, const struct result *r, double seconds);

/* ---- labs.c: which lab a region belongs to (common/README.md, "Solution regions") ---- */
struct labinfo {
	char *lab, *dir;        /* a manifest's `lab` and `dir` */
	char *rel;              /* the manifest's kit-relative path, or NULL */
	struct filelist student, uses;
	struct filelist private_files; /* `private`: hidden tests, in no tree of another lab either */
};
struct labset {
	const char *lab;        /* the graded lab */
	struct labinfo *v;      /* the graded manifest, labs/ *.manifest, the kit's other manifests */
	int n;
	struct filelist used;   /* the labs of the graded manifest's `uses` */
	struct filelist used_manifests; /* their manifests, kit-relative */
	bool starters_only;     /* labset_fate: every region its starter (dist BASE) */
};
/* Returns the number of errors printed (a `uses` directory no manifest has). */
int labset_load(struct labset *s, const struct manifest *m, const char *kit);
void labset_free(struct labset *s);
/* The lab whose directory (the innermost) holds rel, or NULL. */
const struct labinfo *labset_owner(const struct labset *s, const char *rel);
const struct labinfo *labset_find(const struct labset *s, const char *lab);
/* The used lab whose manifest lists rel as `student`, or NULL. */
const struct labinfo *labset_used_student(const struct labset *s, const char *rel);
/* True if a used lab's manifest lists rel as `private`. */
bool labset_used_private(const struct labset *s, const char *rel);
/* A region_fate_fn, ctx a struct labset: solved if the region's lab is used. */
enum region_fate labset_fate(const char *name, int line, const char *tag, void *ctx);
/* Kit file rel as the graded lab's trees hold it (the starter tree's
 * version): NULL on error, after a "rel:line: why" on stderr. */
char *labset_text(struct labset *s, const char *kit, const char *rel, size_t *len);

/* ---- dist.c ---- */
/* base: the student's tree of the used labs (make dist BASE=), or NULL */
int dist_write(const struct manifest *m, const char *manifest_path, const char *kit,
	       const char *dest, bool with_solution, const char *base);
/* The labs of labs/sequence, in order. */
void lab_sequence(const char *kit, struct filelist *labs);
/* true if f (kit-relative) belongs in lab m's starter tree, and so in its
 * grading tree: the top files, common/, the grader without its tests, the
 * lab's directory and those it `uses`, its handouts; never a private file.
 * manifest_rel: the manifest's kit-relative path, or NULL; ls: the used
 * labs' manifests go too. */
bool dist_wanted(const struct manifest *m, const char *manifest_rel, const struct filelist *labs,
		 const struct labset *ls, const char *f);

#endif
