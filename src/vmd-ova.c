/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "vmd-ova"

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "vmd-error.h"
#include "vmd-ova.h"
#include "vmd-text.h"

/* An OVA is untrusted input: what is read from it is bounded, a member's
 * name is only ever a key (never a path), and the descriptor is parsed
 * without entities, DTD or network. */
#define DESCRIPTOR_MAX (4 * 1024 * 1024)
#define DISKS_MAX      64
#define MEMBERS_MAX    1000
#define CHUNK_SIZE     (1024 * 1024)

#define XSI_NS "http://www.w3.org/2001/XMLSchema-instance"

static const char * const envelope_ns[] = {
  "http://schemas.dmtf.org/ovf/envelope/1",
  "http://schemas.dmtf.org/ovf/envelope/2",
  "http://www.vmware.com/schema/ovf/1/envelope",   /* OVF 0.9 */
  NULL
};
static const char * const settings_ns[] = {
  "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData",
  "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_StorageAllocationSettingData",
  NULL
};

typedef struct
{
  guint    index;      /* the position in the archive, to find it again */
  gint64   size;
  gboolean regular;
} Member;

struct _VmdOva
{
  char       *path;
  char       *display;   /* the file's name as messages quote it */
  char       *name;
  guint64     memory;
  guint       cpus;
  guint64     capacity;  /* the first disk's, as its guest sees it; 0 unknown */
  GStrv       disks;
  GHashTable *members;   /* name without "./" or a final "/" -> Member */
};

typedef struct
{
  struct archive *archive;
  int             fd;
} Reader;

static void
reader_clear (Reader *reader)
{
  g_clear_pointer (&reader->archive, archive_read_free);
  if (reader->fd >= 0)
    close (reader->fd);
  reader->fd = -1;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reader, reader_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

static gboolean fail (GError **error, int code, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError     **error,
      int          code,
      const char  *format,
      ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (VMD_ERROR, code, format, args);
  va_end (args);
  return FALSE;
}

static gboolean
fail_errno (GError     **error,
            gboolean     writing,
            const char  *path)
{
  int saved = errno;
  g_autofree char *shown = vmd_text_dup_display_basename (path);
  int code = VMD_ERROR_FAILED;

  if (saved == ENOSPC || saved == EDQUOT)
    code = VMD_ERROR_NO_SPACE;
  else if (saved == EACCES || saved == EPERM || saved == EROFS)
    code = VMD_ERROR_PERMISSION;
  return fail (error, code, writing ? _("Could not write “%s”: %s") : _("Could not read “%s”: %s"),
               shown, g_strerror (saved));
}

static gboolean
fail_damaged (VmdOva  *self,
              GError **error)
{
  return fail (error, VMD_ERROR_NOT_MEDIA,
               _("“%s” is not an OVA appliance: its OVF descriptor is damaged."), self->display);
}

static gboolean
fail_truncated (VmdOva  *self,
                GError **error)
{
  return fail (error, VMD_ERROR_TRUNCATED,
               _("“%s” is incomplete or damaged: download it again."), self->display);
}

/* The archive at @path, checked to be a regular file (a pipe would block
 * the reader) that starts with a ustar header, as OVF requires: libarchive
 * alone would also take an empty file. No decompression filter: an OVA
 * is never compressed. */
static gboolean
reader_open (Reader      *reader,
             const char  *path,
             const char  *display,
             GError     **error)
{
  char block[512];
  struct stat st;

  reader->fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (reader->fd < 0)
    return fail_errno (error, FALSE, path);
  if (fstat (reader->fd, &st) == 0 && S_ISREG (st.st_mode) &&
      pread (reader->fd, block, sizeof block, 0) == sizeof block &&
      memcmp (block + 257, "ustar", 5) == 0)
    {
      reader->archive = archive_read_new ();
      archive_read_support_format_tar (reader->archive);
      if (archive_read_open_fd (reader->archive, reader->fd, 64 * 1024) == ARCHIVE_OK)
        return TRUE;
    }
  return fail (error, VMD_ERROR_NOT_MEDIA,
               _("“%s” is not an OVA appliance: it is not a tar archive."), display);
}

/* The next member's header and name; a warning (a name in another
 * charset) is no failure. */
static int
next_entry (Reader                *reader,
            struct archive_entry **entry,
            char                 **name)
{
  int status = archive_read_next_header (reader->archive, entry);
  const char *raw;
  gsize end;

  if (status != ARCHIVE_OK && status != ARCHIVE_WARN)
    return status;
  raw = archive_entry_pathname_utf8 (*entry);
  raw = raw ? raw : archive_entry_pathname (*entry);
  while (raw != NULL && g_str_has_prefix (raw, "./"))
    raw += 2;
  *name = g_strdup (raw ? raw : "");
  for (end = strlen (*name); end > 0 && (*name)[end - 1] == '/'; end--)
    (*name)[end - 1] = '\0';
  return ARCHIVE_OK;
}

static gboolean
is_descriptor_name (const char *name)
{
  gsize length = strlen (name);

  return length > 4 && g_ascii_strcasecmp (name + length - 4, ".ovf") == 0;
}

gboolean
vmd_ova_is_ova (const char *path)
{
  g_auto(Reader) reader = { NULL, -1 };
  g_autofree char *name = NULL;
  struct archive_entry *entry;

  g_return_val_if_fail (path != NULL, FALSE);

  return reader_open (&reader, path, NULL, NULL) &&
         next_entry (&reader, &entry, &name) == ARCHIVE_OK && is_descriptor_name (name);
}

static char *
read_descriptor (VmdOva  *self,
                 Reader  *reader,
                 Member  *member,
                 gsize   *length,
                 GError **error)
{
  g_autofree char *text = NULL;
  la_ssize_t n = 1;

  if (member->size > DESCRIPTOR_MAX)
    {
      g_debug ("%s: a descriptor of %" G_GINT64_FORMAT " bytes", self->path, member->size);
      fail_damaged (self, error);
      return NULL;
    }
  text = g_malloc (member->size + 1);
  for (*length = 0; *length < (gsize) member->size && n > 0; *length += MAX (n, 0))
    n = archive_read_data (reader->archive, text + *length, member->size - *length);
  if (*length != (gsize) member->size)
    {
      fail_truncated (self, error);
      return NULL;
    }
  text[*length] = '\0';
  return g_steal_pointer (&text);
}

/* Lists the members and reads the first descriptor, wherever it is. */
static char *
read_members (VmdOva  *self,
              gsize   *length,
              GError **error)
{
  g_auto(Reader) reader = { NULL, -1 };
  g_autofree char *descriptor = NULL;
  struct archive_entry *entry;
  char *name = NULL;
  int status;

  if (!reader_open (&reader, self->path, self->display, error))
    return NULL;
  for (guint index = 0; (status = next_entry (&reader, &entry, &name)) == ARCHIVE_OK; index++)
    {
      g_auto(GStrv) parts = g_strsplit (name, "/", -1);
      Member *member = g_new0 (Member, 1);

      g_hash_table_replace (self->members, name, member);
      /* A name that would leave the folder it was extracted to: no
       * exporter writes one, so an archive holding one was made to attack. */
      if (name[0] == '/' || g_strv_contains ((const char * const *) parts, ".."))
        {
          g_autofree char *shown = vmd_text_make_printable (name, -1);

          fail (error, VMD_ERROR_NOT_MEDIA,
                _("“%s” cannot be imported: it holds a file with an unsafe name, “%s”."),
                self->display, shown);
          return NULL;
        }
      if (index >= MEMBERS_MAX)
        {
          fail (error, VMD_ERROR_NOT_MEDIA,
                _("“%s” is not an OVA appliance: it holds more than %d files."),
                self->display, MEMBERS_MAX);
          return NULL;
        }
      member->index = index;
      member->size = archive_entry_size (entry);
      member->regular = archive_entry_filetype (entry) == AE_IFREG &&
                        archive_entry_size_is_set (entry);
      if (descriptor == NULL && member->regular && is_descriptor_name (name) &&
          (descriptor = read_descriptor (self, &reader, member, length, error)) == NULL)
        return NULL;
    }
  if (status != ARCHIVE_EOF)
    {
      g_debug ("%s: %s", self->path, archive_error_string (reader.archive));
      fail_truncated (self, error);
      return NULL;
    }
  if (descriptor == NULL)
    fail (error, VMD_ERROR_NOT_MEDIA,
          _("“%s” is not an OVA appliance: it has no OVF descriptor (.ovf file)."), self->display);
  return g_steal_pointer (&descriptor);
}

static gboolean
in_namespace (xmlNode            *node,
              const char * const *namespaces)
{
  return node->ns != NULL && g_strv_contains (namespaces, (const char *) node->ns->href);
}

/* Text as written: with no DTD allowed, there is no entity to expand. */
static char *
dup_text (xmlNode *node)
{
  xmlChar *text = xmlNodeGetContent (node);
  char *copy = text ? g_strstrip (g_strdup ((const char *) text)) : NULL;

  xmlFree (text);
  return copy;
}

/* An attribute by local name, in @namespace, or else in OVF's or none. */
static char *
dup_attribute (xmlNode    *node,
               const char *name,
               const char *namespace)
{
  for (xmlAttr *attr = node->properties; attr != NULL; attr = attr->next)
    if (xmlStrEqual (attr->name, BAD_CAST name) &&
        (namespace ? attr->ns && xmlStrEqual (attr->ns->href, BAD_CAST namespace)
                   : !attr->ns || g_strv_contains (envelope_ns, (const char *) attr->ns->href)))
      return dup_text ((xmlNode *) attr);
  return NULL;
}

/* Whether @node is the OVF element @name. OVF 0.9 wrote sections as
 * <Section xsi:type="ovf:NAME_Type"> and a system as <Content ...>. */
static gboolean
is_ovf (xmlNode    *node,
        const char *name)
{
  g_autofree char *type = NULL;
  const char *local;

  if (node->type != XML_ELEMENT_NODE || !in_namespace (node, envelope_ns))
    return FALSE;
  if (xmlStrEqual (node->name, BAD_CAST name))
    return TRUE;
  if (!xmlStrEqual (node->name, BAD_CAST "Section") &&
      !xmlStrEqual (node->name, BAD_CAST "Content"))
    return FALSE;
  type = dup_attribute (node, "type", XSI_NS);
  local = type && strchr (type, ':') ? strchr (type, ':') + 1 : type;
  return local && g_str_has_prefix (local, name) && strcmp (local + strlen (name), "_Type") == 0;
}

static xmlNode *
find_child (xmlNode    *parent,
            const char *name)
{
  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    if (is_ovf (child, name))
      return child;
  return NULL;
}

/* The first system, in a collection of them if need be. */
static xmlNode *
find_system (xmlNode *parent)
{
  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    {
      xmlNode *found = is_ovf (child, "VirtualSystem") ? child
                     : is_ovf (child, "VirtualSystemCollection") ? find_system (child) : NULL;

      if (found != NULL)
        return found;
    }
  return NULL;
}

static char *
dup_setting (xmlNode    *item,
             const char *name)
{
  for (xmlNode *child = item->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE && in_namespace (child, settings_ns) &&
        xmlStrEqual (child->name, BAD_CAST name))
      return dup_text (child);
  return NULL;
}

/* Bytes in one AllocationUnits: DMTF's "byte * 2^20" as VirtualBox and
 * VMware write, or a name as older exporters did ("MegaBytes", "MB"). No
 * unit at all is taken as megabytes, the only unit ever left implicit. */
static guint64
parse_units (const char *text)
{
  static const struct { const char *name; guint shift; } names[] = {
    { "", 20 }, { "byte", 0 }, { "b", 0 },
    { "kilobyte", 10 }, { "kb", 10 }, { "kib", 10 },
    { "megabyte", 20 }, { "mb", 20 }, { "mib", 20 },
    { "gigabyte", 30 }, { "gb", 30 }, { "gib", 30 },
    { "terabyte", 40 }, { "tb", 40 }, { "tib", 40 },
  };
  GString *compact = g_string_new (NULL);
  g_autofree char *units = NULL;
  guint64 base, exponent, bytes = 1;
  char *end;

  for (const char *p = text ? text : ""; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (compact, g_ascii_tolower (*p));
  if (compact->len > 3 && compact->str[compact->len - 1] == 's')
    g_string_truncate (compact, compact->len - 1);
  units = g_string_free (compact, FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (units, names[i].name) == 0)
      return G_GUINT64_CONSTANT (1) << names[i].shift;
  if (!g_str_has_prefix (units, "byte*") || !g_ascii_isdigit (units[5]))
    return 0;
  base = g_ascii_strtoull (units + 5, &end, 10);
  if (*end == '\0')
    return base;
  if (*end != '^' || !g_ascii_isdigit (end[1]))
    return 0;
  exponent = g_ascii_strtoull (end + 1, &end, 10);
  if (*end != '\0' || exponent > 64)
    return 0;
  for (guint64 i = 0; i < exponent && bytes != 0; i++)
    bytes = base != 0 && bytes > G_MAXUINT64 / base ? 0 : bytes * base;
  return bytes;
}

/* CPUs, memory, and the disks as "disk/ID" or "file/ID" in the order the
 * hardware attaches them. */
static void
read_hardware (VmdOva    *self,
               xmlNode   *hardware,
               GPtrArray *refs)
{
  for (xmlNode *item = hardware->children; item != NULL; item = item->next)
    {
      g_autofree char *type = NULL;
      g_autofree char *quantity = NULL;
      guint64 value = 0;

      if (!is_ovf (item, "Item") && !is_ovf (item, "StorageItem"))
        continue;
      type = dup_setting (item, "ResourceType");
      quantity = dup_setting (item, "VirtualQuantity");
      if (quantity != NULL)
        g_ascii_string_to_unsigned (quantity, 10, 0, G_MAXUINT64, &value, NULL);
      if (g_strcmp0 (type, "3") == 0 && self->cpus == 0 && value <= G_MAXUINT)
        self->cpus = value;
      else if (g_strcmp0 (type, "4") == 0 && self->memory == 0)
        {
          g_autofree char *units = dup_setting (item, "AllocationUnits");
          guint64 unit = parse_units (units);

          if (unit != 0 && value <= G_MAXUINT64 / unit)
            self->memory = value * unit;
        }
      else if (g_strcmp0 (type, "17") == 0)
        {
          g_autofree char *host = dup_setting (item, "HostResource");
          const char *ref = host && g_str_has_prefix (host, "ovf:") ? host + 4 : host;

          while (ref != NULL && *ref == '/')
            ref++;
          if (ref && (g_str_has_prefix (ref, "disk/") || g_str_has_prefix (ref, "file/")))
            g_ptr_array_add (refs, g_strdup (ref));
        }
    }
}

/* File ids to hrefs from References; disk ids to file ids from DiskSection
 * ("" for a blank disk, one to create rather than read), with the disks
 * in their listed order. */
static void
read_files (xmlNode    *root,
            GHashTable *files,
            GHashTable *disk_files,
            GHashTable *capacities,
            GPtrArray  *listed)
{
  for (xmlNode *section = root->children; section != NULL; section = section->next)
    {
      gboolean references = is_ovf (section, "References");
      gboolean disks = !references && is_ovf (section, "DiskSection");

      for (xmlNode *node = section->children; node && (references || disks); node = node->next)
        {
          g_autofree char *id = NULL;
          char *file;

          if (references && is_ovf (node, "File") && (id = dup_attribute (node, "id", NULL)))
            g_hash_table_replace (files, g_steal_pointer (&id),
                                  dup_attribute (node, "href", NULL));
          else if (disks && is_ovf (node, "Disk") && (id = dup_attribute (node, "diskId", NULL)))
            {
              g_autofree char *capacity = dup_attribute (node, "capacity", NULL);
              g_autofree char *units = dup_attribute (node, "capacityAllocationUnits", NULL);
              guint64 value = 0, unit = units ? parse_units (units) : 1;

              /* In bytes unless the units say otherwise. */
              if (capacity != NULL && unit != 0 &&
                  g_ascii_string_to_unsigned (capacity, 10, 0, G_MAXUINT64 / unit, &value, NULL))
                g_hash_table_replace (capacities, g_strdup (id), g_memdup2 (&(guint64) { value * unit },
                                                                            sizeof (guint64)));
              file = dup_attribute (node, "fileRef", NULL);
              g_ptr_array_add (listed, g_strconcat ("disk/", id, NULL));
              g_hash_table_replace (disk_files, g_steal_pointer (&id), file ? file : g_strdup (""));
            }
        }
    }
}

/* Fills in @self from the descriptor, and @hrefs with its disks' files. */
static gboolean
parse_descriptor (VmdOva      *self,
                  const char  *text,
                  gsize        length,
                  GPtrArray   *hrefs,
                  GError     **error)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) disk_files = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                            g_free, g_free);
  g_autoptr(GHashTable) capacities = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                            g_free, g_free);
  g_autoptr(GPtrArray) attached = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *refs;
  xmlNode *root, *system, *node;

  /* Neither XML_PARSE_NOENT nor DTD loading: entities stay unexpanded and
   * external ones unread. OVF has no DTD, so one is refused outright. */
  doc = xmlReadMemory (text, length, "descriptor.ovf", NULL,
                       XML_PARSE_NONET | XML_PARSE_NOBLANKS |
                       XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == NULL || doc->intSubset != NULL)
    {
      g_debug ("%s: the descriptor %s", self->path, doc ? "has a DTD" : "is not XML");
      return fail_damaged (self, error);
    }
  root = xmlDocGetRootElement (doc);
  system = root && is_ovf (root, "Envelope") ? find_system (root) : NULL;
  if (system == NULL)
    return fail (error, VMD_ERROR_NOT_MEDIA,
                 _("“%s” is not an OVA appliance: its OVF descriptor describes "
                   "no virtual machine."),
                 self->display);

  read_files (root, files, disk_files, capacities, listed);
  node = find_child (system, "Name");
  self->name = node ? dup_text (node) : NULL;
  if (self->name == NULL || *self->name == '\0')
    {
      g_free (self->name);
      self->name = dup_attribute (system, "id", NULL);
    }
  if ((node = find_child (system, "VirtualHardwareSection")) != NULL)
    read_hardware (self, node, attached);

  refs = attached->len > 0 ? attached : listed;
  for (guint i = 0; i < refs->len; i++)
    {
      const char *ref = g_ptr_array_index (refs, i);
      const char *file = g_str_has_prefix (ref, "disk/") ? g_hash_table_lookup (disk_files, ref + 5)
                                                         : ref + 5;
      const char *href = file ? g_hash_table_lookup (files, file) : NULL;

      if (file != NULL && *file == '\0')
        continue;
      if (href == NULL || hrefs->len >= DISKS_MAX)
        {
          g_debug ("%s: disk %s has no file, or is one too many", self->path, ref);
          return fail_damaged (self, error);
        }
      while (g_str_has_prefix (href, "./"))
        href += 2;
      if (hrefs->len == 0 && g_str_has_prefix (ref, "disk/"))
        {
          guint64 *capacity = g_hash_table_lookup (capacities, ref + 5);

          self->capacity = capacity ? *capacity : 0;
        }
      if (!g_ptr_array_find_with_equal_func (hrefs, href, g_str_equal, NULL))
        g_ptr_array_add (hrefs, g_strdup (href));
    }
  return TRUE;
}

VmdOva *
vmd_ova_open (const char  *path,
              GError     **error)
{
  g_autoptr(VmdOva) self = NULL;
  g_autoptr(GPtrArray) hrefs = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *descriptor = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (VmdOva, 1);
  self->path = g_strdup (path);
  self->display = vmd_text_dup_display_basename (path);
  self->members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if ((descriptor = read_members (self, &length, error)) == NULL ||
      !parse_descriptor (self, descriptor, length, hrefs, error))
    return NULL;

  for (guint i = 0; i < hrefs->len; i++)
    {
      Member *member = g_hash_table_lookup (self->members, g_ptr_array_index (hrefs, i));
      g_autofree char *shown = vmd_text_make_printable (g_ptr_array_index (hrefs, i), -1);

      if (member == NULL || !member->regular)
        {
          fail (error, VMD_ERROR_NOT_MEDIA, member == NULL
                ? _("“%s” is incomplete: its disk “%s” is not in it.")
                : _("“%s” cannot be imported: its disk “%s” is not a regular file."),
                self->display, shown);
          return NULL;
        }
    }
  g_ptr_array_add (hrefs, NULL);
  self->disks = (GStrv) g_ptr_array_free (g_steal_pointer (&hrefs), FALSE);
  return g_steal_pointer (&self);
}

void
vmd_ova_free (VmdOva *self)
{
  if (self == NULL)
    return;
  g_free (self->path);
  g_free (self->display);
  g_free (self->name);
  g_strfreev (self->disks);
  g_hash_table_unref (self->members);
  g_free (self);
}

const char *
vmd_ova_get_name (VmdOva *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

guint64
vmd_ova_get_memory (VmdOva *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->memory;
}

guint
vmd_ova_get_cpus (VmdOva *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->cpus;
}

/* The first disk's size as its guest sees it (the descriptor's word for
 * it); 0 when the descriptor does not say. */
guint64
vmd_ova_get_capacity (VmdOva *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->capacity;
}

const char * const *
vmd_ova_get_disks (VmdOva *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->disks;
}

static gboolean
copy_member (VmdOva          *self,
             Member          *member,
             int              fd,
             const char      *dest_path,
             GCancellable    *cancellable,
             VmdOvaProgress   progress,
             gpointer         data,
             GError         **error)
{
  g_auto(Reader) reader = { NULL, -1 };
  g_autofree char *buffer = g_malloc (CHUNK_SIZE);
  struct archive_entry *entry = NULL;
  int status = ARCHIVE_OK;
  guint64 done = 0;
  la_ssize_t n = 0;

  if (!reader_open (&reader, self->path, self->display, error))
    return FALSE;
  /* Headers only: libarchive seeks over the members before. A new size
   * says the file was replaced since it was opened. */
  for (guint i = 0; i <= member->index && status == ARCHIVE_OK; i++)
    {
      g_autofree char *name = NULL;

      status = next_entry (&reader, &entry, &name);
    }
  if (status != ARCHIVE_OK || archive_entry_size (entry) != member->size)
    return fail_truncated (self, error);

  while ((n = archive_read_data (reader.archive, buffer, CHUNK_SIZE)) > 0)
    {
      for (la_ssize_t written = 0, w; written < n; written += MAX (w, 0))
        if ((w = write (fd, buffer + written, n - written)) < 0 && errno != EINTR)
          return fail_errno (error, TRUE, dest_path);
      done += n;
      if (progress != NULL)
        progress (done, member->size, data);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  if (n < 0 || done != (guint64) member->size)
    {
      g_debug ("%s: %s", self->path, n < 0 ? archive_error_string (reader.archive) : "short");
      return fail_truncated (self, error);
    }
  if (done == 0 && progress != NULL)
    progress (0, 0, data);
  return TRUE;
}

gboolean
vmd_ova_extract (VmdOva          *self,
                 const char      *member,
                 const char      *dest_path,
                 GCancellable    *cancellable,
                 VmdOvaProgress   progress,
                 gpointer         data,
                 GError         **error)
{
  Member *found;
  int fd;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (dest_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  while (g_str_has_prefix (member, "./"))
    member += 2;
  found = g_hash_table_lookup (self->members, member);
  if (found == NULL || !found->regular)
    {
      g_autofree char *shown = vmd_text_make_printable (member, -1);

      return fail (error, VMD_ERROR_NOT_MEDIA, _("“%s” is incomplete: its disk “%s” is not in it."),
                   self->display, shown);
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  /* O_EXCL: never over a file already there, which is not ours to remove. */
  fd = open (dest_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd < 0)
    return fail_errno (error, TRUE, dest_path);
  if (!copy_member (self, found, fd, dest_path, cancellable, progress, data, error))
    {
      close (fd);
      g_unlink (dest_path);
      return FALSE;
    }
  if (close (fd) != 0)
    {
      fail_errno (error, TRUE, dest_path);
      g_unlink (dest_path);
      return FALSE;
    }
  return TRUE;
}
